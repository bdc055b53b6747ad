package dev.ferry.proxy.trace;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trace sink that never blocks the event loops feeding it: {@link #accept} only offers the event
 * to a bounded queue, and one writer thread formats and writes. When the writer cannot keep up (a
 * slow disk, a burst of large messages) events are dropped and counted, and the count is written
 * into the trace where the gap is, because a proxy whose loops waited for a debugging aid would
 * stall every call it carries.
 */
final class TraceFileWriter implements TraceSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TraceFileWriter.class);

  /** Some thousands of frames of headroom; an event is a few hundred bytes. */
  static final int DEFAULT_CAPACITY = 8 * 1024;

  private static final long CLOSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

  // Tells the writer to stop; compared by identity.
  private static final TraceEvent END =
      new TraceEvent(
          TraceEvent.Kind.CONNECTION,
          0,
          0,
          null,
          0,
          "END",
          null,
          false,
          "",
          java.util.List.of(),
          java.util.Map.of());

  private final BlockingQueue<TraceEvent> queue;
  private final TraceFormatter formatter;
  private final boolean json;
  private final Writer out;
  private final String name;
  private final Thread writer;
  private final LongAdder dropped = new LongAdder();
  private volatile boolean closed;

  // Writer thread only.
  private long droppedWritten;
  private boolean writeFailed;

  /**
   * @param json whether {@code formatter} writes JSON, so that a gap is reported as JSON too
   * @param out the file, buffered by the caller; closed by {@link #close}
   * @param name the file's name, for log messages
   */
  TraceFileWriter(TraceFormatter formatter, boolean json, Writer out, String name, int capacity) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.formatter = formatter;
    this.json = json;
    this.out = out;
    this.name = name;
    this.writer = new Thread(this::run, "ferry-trace-writer");
    // A daemon, so that a forgotten close never keeps the JVM alive; close() is what flushes.
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void accept(TraceEvent event) {
    if (closed || !queue.offer(event)) {
      dropped.increment();
    }
  }

  /** Events dropped so far because the queue was full or the writer closed. */
  long droppedCount() {
    return dropped.sum();
  }

  /** Writes what is queued (waiting at most a few seconds for a stuck disk), then closes. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      long deadline = System.nanoTime() + CLOSE_TIMEOUT_NANOS;
      if (queue.offer(END, CLOSE_TIMEOUT_NANOS, TimeUnit.NANOSECONDS)) {
        writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
      if (writer.isAlive()) {
        log.warn("trace {}: the writer is stuck; {} events are lost", name, queue.size());
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      out.close();
    } catch (IOException e) {
      log.warn("trace {}: cannot close: {}", name, e.toString());
    }
    if (dropped.sum() > 0) {
      log.warn("trace {}: {} events were dropped (the writer could not keep up)", name, dropped);
    }
  }

  private void run() {
    try {
      while (true) {
        TraceEvent e = queue.take();
        if (e == END) {
          break;
        }
        String text;
        try {
          text = formatter.format(e);
        } catch (RuntimeException ex) {
          // One event that cannot be rendered costs that event, never the rest of the trace.
          dropped.increment();
          continue;
        }
        write(text);
        // Only when caught up: one flush per burst, yet no line waits long to appear, and a
        // gap is reported right after the last event that made it.
        if (queue.isEmpty()) {
          writeGap();
          flush();
        }
      }
      writeGap();
      flush();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  private void writeGap() {
    long total = dropped.sum();
    if (total > droppedWritten) {
      long n = total - droppedWritten;
      droppedWritten = total;
      write(
          json
              ? "{\"kind\":\"dropped\",\"count\":" + n + "}"
              : "# " + n + " trace events dropped here: the writer could not keep up");
    }
  }

  private void write(String text) {
    try {
      out.append(text).append('\n');
    } catch (IOException | RuntimeException ex) {
      failed(ex);
    }
  }

  private void flush() {
    try {
      out.flush();
    } catch (IOException ex) {
      failed(ex);
    }
  }

  private void failed(Exception ex) {
    if (!writeFailed) {
      writeFailed = true;
      log.warn("trace {}: cannot write, events are lost: {}", name, ex.toString());
    }
  }
}
