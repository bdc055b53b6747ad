package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** grpc-java's java.util.logging lines go through SLF4J, never straight to the terminal. */
class LogRoutingTest {
  @Test
  void julRecords_goOnlyThroughSlf4j() {
    Main.commandLine(new java.io.PrintWriter(System.out), new java.io.PrintWriter(System.err));
    Handler[] handlers = Logger.getLogger("").getHandlers();
    assertThat(handlers).hasSize(1);
    assertThat(handlers[0]).isInstanceOf(SLF4JBridgeHandler.class);
  }

  @Test
  void serverTransportFailure_isOneDebugLineWithoutATrace() {
    Main.commandLine(new java.io.PrintWriter(System.out), new java.io.PrintWriter(System.err));
    LogRecord record = new LogRecord(Level.INFO, "Transport failed");
    record.setThrown(
        new IllegalStateException(
            "HTTP/2 client preface string missing or corrupt. Hex dump for received bytes: 1603"));
    Logger logger = Logger.getLogger(LogRouting.SERVER_TRANSPORT);

    assertThat(logger.getFilter().isLoggable(record)).isTrue();

    assertThat(record.getLevel()).isEqualTo(Level.FINE);
    assertThat(record.getThrown()).isNull();
    assertThat(record.getMessage())
        .doesNotContain("\n")
        .contains("HTTP/2 client preface string missing or corrupt");
  }
}
