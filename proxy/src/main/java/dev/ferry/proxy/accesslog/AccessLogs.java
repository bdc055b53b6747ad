package dev.ferry.proxy.accesslog;

import dev.ferry.proxy.config.AccessLogConfig;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens the access log a configuration asks for. */
public final class AccessLogs {
  private static final int BUFFER = 64 * 1024;

  private AccessLogs() {}

  /**
   * The access log of {@code config}: {@link AccessLog#OFF} when it is {@code null}; a path of
   * {@code -} writes to the process's standard output.
   *
   * @throws IOException when the file cannot be opened for appending
   */
  public static AccessLog open(AccessLogConfig config) throws IOException {
    // Our own stream on fd 1 rather than System.out: no lock shared with the rest of the process
    // and no flush per line; the writer thread flushes when it has caught up.
    return open(config, new FileOutputStream(FileDescriptor.out));
  }

  /** The line {@code entry} makes in a log of {@code format}, without its line break. */
  public static String line(AccessLogConfig.Format format, AccessLogEntry entry) {
    StringBuilder sb = new StringBuilder();
    formatter(format).format(entry, sb);
    return sb.toString();
  }

  private static AccessLogFormatter formatter(AccessLogConfig.Format format) {
    return switch (format) {
      case TEXT -> new TextAccessLogFormatter();
      case JSON -> new JsonAccessLogFormatter();
    };
  }

  /** As {@link #open(AccessLogConfig)}, with {@code stdout} standing for {@code -}. */
  public static AccessLog open(AccessLogConfig config, OutputStream stdout) throws IOException {
    if (config == null) {
      return AccessLog.OFF;
    }
    AccessLogFormatter formatter = formatter(config.format());
    boolean toStdout = config.path().equals("-");
    OutputStream stream =
        toStdout
            ? stdout
            : Files.newOutputStream(
                Path.of(config.path()), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    Writer writer =
        new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), BUFFER);
    return new QueuedAccessLog(
        formatter,
        writer,
        !toStdout,
        toStdout ? "stdout" : config.path(),
        QueuedAccessLog.DEFAULT_CAPACITY);
  }
}
