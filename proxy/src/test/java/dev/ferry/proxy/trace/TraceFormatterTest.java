package dev.ferry.proxy.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceFormatterTest {
  private static final TraceEvent FAILED_CALL =
      new TraceEvent(
          TraceEvent.Kind.CALL,
          1_500_000,
          2,
          null,
          3,
          "CALL",
          "/a.B/C",
          true,
          "/a.B/C UNAVAILABLE",
          List.of("body: \"x\""),
          Map.of("status", "UNAVAILABLE"));

  @Test
  void text_withoutColour_hasNoEscapes() {
    assertThat(TraceFormatter.text(false).format(FAILED_CALL))
        .isEqualTo(
            "     1.500ms c2   · s3    CALL          /a.B/C UNAVAILABLE\n"
                + "                              body: \"x\"");
  }

  @Test
  void text_withColour_paintsAFailedCallRed() {
    assertThat(TraceFormatter.text(true).format(FAILED_CALL))
        .contains("\u001b[31m\u001b[1m/a.B/C UNAVAILABLE\u001b[0m");
  }

  @Test
  void json_isOneObjectWithTheEventsFields() {
    assertThat(TraceFormatter.json().format(FAILED_CALL))
        .isEqualTo(
            "{\"t_ms\":1.5,\"conn\":2,\"kind\":\"call\",\"dir\":null,\"stream\":3,\"type\":\"CALL\","
                + "\"method\":\"/a.B/C\",\"error\":true,\"text\":\"/a.B/C UNAVAILABLE\","
                + "\"details\":[\"body: \\\"x\\\"\"],\"status\":\"UNAVAILABLE\"}");
  }

  @Test
  void filter_selectsByMethodErrorsFramesAndSummaries() {
    TraceEvent data =
        new TraceEvent(
            TraceEvent.Kind.FRAME,
            0,
            1,
            Direction.CLIENT_TO_SERVER,
            3,
            "DATA",
            "/a.B/C",
            false,
            "",
            List.of(),
            Map.of());
    assertThat(new TraceFilter("B/C", false, java.util.Set.of(), false).accepts(data)).isTrue();
    assertThat(new TraceFilter("X", false, java.util.Set.of(), false).accepts(data)).isFalse();
    assertThat(new TraceFilter(null, true, java.util.Set.of(), false).accepts(data)).isFalse();
    assertThat(new TraceFilter(null, false, java.util.Set.of("headers"), false).accepts(data))
        .isFalse();
    assertThat(new TraceFilter(null, false, java.util.Set.of("data"), false).accepts(data))
        .isTrue();
    assertThat(new TraceFilter(null, false, java.util.Set.of(), true).accepts(data)).isFalse();
    assertThat(new TraceFilter(null, true, java.util.Set.of(), true).accepts(FAILED_CALL)).isTrue();
  }
}
