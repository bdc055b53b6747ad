package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Every line ferry logs while it runs has one format, set in simplelogger.properties: an ISO 8601
 * timestamp with milliseconds and UTC offset, the level, the class that speaks, the message.
 */
class LogFormatTest {
  /** The timestamp and the space after it, as a regular expression. */
  static final String LINE_START =
      "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) ";

  @RegisterExtension final LoggedLines log = new LoggedLines();

  @Test
  void aLogLine_isTimestampLevelSourceAndMessage() {
    Main.commandLine(new java.io.PrintWriter(System.out), new java.io.PrintWriter(System.err));

    LoggerFactory.getLogger(RunningProxy.class).warn("one line, {}", "formatted");

    assertThat(log.containing("one line, formatted"))
        .singleElement()
        .asString()
        .matches(LINE_START + "WARN RunningProxy - one line, formatted");
  }
}
