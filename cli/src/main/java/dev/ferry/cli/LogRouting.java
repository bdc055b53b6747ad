package dev.ferry.cli;

import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLoggerFactory;
import io.grpc.netty.shaded.io.netty.util.internal.logging.JdkLoggerFactory;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sends java.util.logging records (grpc-java's, protobuf's) through SLF4J, so that they obey
 * ferry's log levels (off for the libraries unless {@code --log-level} asks) instead of printing on
 * stderr by themselves; and turns grpc-java's trace of a connection that spoke another protocol
 * into one DEBUG line.
 */
final class LogRouting {
  /** Where grpc-java's server says "Transport failed" with the exception's whole trace. */
  static final String SERVER_TRANSPORT =
      "io.grpc.netty.shaded.io.grpc.netty.NettyServerTransport.connections";

  /**
   * Held here because java.util.logging keeps its loggers weakly: a collected logger would take its
   * filter with it.
   */
  private static final java.util.logging.Logger SERVER_TRANSPORT_LOGGER =
      java.util.logging.Logger.getLogger(SERVER_TRANSPORT);

  /**
   * ferry's own and the libraries': slf4j-simple reads its default level once, when the first
   * logger is made (before the options are parsed), so ferry's level is set by its package name.
   */
  private static final String[] LOGGERS = {"dev.ferry", "io.grpc", "io.netty", "com.google"};

  /** The prefix of slf4j-simple's settings, as system properties. */
  private static final String SIMPLE_LOGGER = "org.slf4j.simpleLogger.";

  private LogRouting() {}

  /**
   * Routes java.util.logging to SLF4J; once per process, later calls do nothing. SLF4J itself
   * starts only when a line gets that far or {@code --log-level} is given: slf4j-simple builds its
   * timestamp format as it starts, which loads the JDK's locale data, a tenth of a one-shot call's
   * CPU time and a fifth of {@code ferry --help}'s, for commands that mostly log nothing.
   */
  static synchronized void install() {
    if (SLF4JBridgeHandler.isInstalled()) {
      return;
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    SERVER_TRANSPORT_LOGGER.setFilter(LogRouting::quietTransportFailure);
    // grpc-java's Netty asks SLF4J for its loggers (starting it) when it finds it; through
    // java.util.logging, as grpc-java's own lines go, its records meet the same level (INFO, or
    // what matchJulLevel set) and then the bridge.
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    // slf4j-simple's levels come from its properties file, where grpc-java's are off, which
    // java.util.logging's default level (INFO) matches; a level set as a system property may not.
    if (System.getProperties().stringPropertyNames().stream()
        .anyMatch(name -> name.startsWith(SIMPLE_LOGGER))) {
      matchJulLevel();
    }
  }

  /**
   * {@code --log-level}: sets ferry's level and the libraries' at once. Effective for the loggers
   * made after it, which are all of them when the option is read, before the command runs.
   */
  static synchronized void setLevel(String level) {
    String name = level.toLowerCase(Locale.ROOT);
    for (String logger : LOGGERS) {
      System.setProperty(SIMPLE_LOGGER + "log." + logger, name);
    }
    matchJulLevel();
  }

  /**
   * java.util.logging drops records below its own level (INFO) before the bridge sees them; it is
   * lowered only when SLF4J would print them, since a FINE level makes grpc-java build records on
   * its hot paths.
   */
  private static void matchJulLevel() {
    org.slf4j.Logger grpc = LoggerFactory.getLogger("io.grpc");
    Level level =
        grpc.isTraceEnabled() ? Level.FINEST : grpc.isDebugEnabled() ? Level.FINE : Level.INFO;
    java.util.logging.Logger.getLogger("").setLevel(level);
  }

  /**
   * A client that speaks TLS to a plaintext port, or HTTP/1.1 to a gRPC one, is the client's
   * mistake and not the server's: one DEBUG line naming it, not an INFO line and 20 stack frames.
   */
  private static boolean quietTransportFailure(LogRecord record) {
    if (record.getThrown() != null && "Transport failed".equals(record.getMessage())) {
      Throwable cause = record.getThrown();
      record.setLevel(Level.FINE);
      record.setMessage(
          "a connection ended on a protocol error (a client speaking TLS or HTTP/1.1 to a"
              + " plaintext gRPC port, or one that went away): "
              + cause.getMessage());
      record.setThrown(null);
      record.setParameters(null);
    }
    return true;
  }
}
