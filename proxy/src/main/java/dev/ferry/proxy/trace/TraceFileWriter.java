package dev.ferry.proxy.trace;

import dev.ferry.proxy.output.QueuedLineWriter;
import java.io.Writer;

/**
 * A trace sink that never blocks the event loops feeding it: events go through a {@link
 * QueuedLineWriter}, and the count of dropped ones is written into the trace where the gap is.
 */
final class TraceFileWriter implements TraceSink, AutoCloseable {
  /** Some thousands of frames of headroom; an event is a few hundred bytes. */
  static final int DEFAULT_CAPACITY = 8 * 1024;

  private final QueuedLineWriter<TraceEvent> writer;

  /**
   * @param json whether {@code formatter} writes JSON, so that a gap is reported as JSON too
   * @param out the file, buffered by the caller; closed by {@link #close}
   * @param name the file's name, for log messages
   */
  TraceFileWriter(TraceFormatter formatter, boolean json, Writer out, String name, int capacity) {
    this.writer =
        new QueuedLineWriter<>(
            "trace " + name,
            new QueuedLineWriter.Lines<>() {
              @Override
              public void format(TraceEvent event, StringBuilder line) {
                line.append(formatter.format(event));
              }

              @Override
              public String gap(long dropped) {
                return json
                    ? "{\"kind\":\"dropped\",\"count\":" + dropped + "}"
                    : "# " + dropped + " trace events dropped here: the writer could not keep up";
              }
            },
            out,
            true,
            capacity,
            "ferry-trace-writer");
  }

  @Override
  public void accept(TraceEvent event) {
    writer.offer(event);
  }

  /** Events dropped so far because the queue was full or the writer closed. */
  long droppedCount() {
    return writer.droppedCount();
  }

  /** Writes what is queued (waiting at most a few seconds for a stuck disk), then closes. */
  @Override
  public void close() {
    writer.close();
  }
}
