package dev.ferry.proxy.trace;

import io.netty.channel.ChannelHandler;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trace of one {@code ferry serve} listener: every connection's frames, messages and trailers,
 * in {@code ferry trace}'s format, written to a file. The proxy knows no schemas, so messages show
 * as raw protobuf fields.
 */
public final class ListenerTrace implements AutoCloseable {
  private final TraceFileWriter writer;
  private final TraceOptions options;
  private final AtomicLong connections = new AtomicLong();

  ListenerTrace(TraceFileWriter writer, TraceOptions options) {
    this.writer = writer;
    this.options = options;
  }

  /**
   * Opens (appending to) {@code file}.
   *
   * @param json one JSON object per event, else lines of plain text
   * @throws IOException naming the file when it cannot be written
   */
  public static ListenerTrace open(Path file, boolean json) throws IOException {
    Writer out;
    try {
      out =
          Files.newBufferedWriter(
              file,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND,
              StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new IOException("cannot write the trace file " + file + ": " + e.getMessage(), e);
    }
    TraceFormatter formatter = json ? TraceFormatter.json() : TraceFormatter.text(false);
    return new ListenerTrace(
        new TraceFileWriter(
            formatter, json, out, file.toString(), TraceFileWriter.DEFAULT_CAPACITY),
        TraceOptions.defaults());
  }

  /** A handler for one new connection; it goes after TLS and before protocol detection. */
  public ChannelHandler newHandler() {
    return new ListenerTraceHandler(connections.incrementAndGet(), options, writer);
  }

  /** Writes what is queued and closes the file; call once the listener's loops have stopped. */
  @Override
  public void close() {
    writer.close();
  }
}
