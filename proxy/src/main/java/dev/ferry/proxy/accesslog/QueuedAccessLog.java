package dev.ferry.proxy.accesslog;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An access log that never blocks its callers: {@link #log} only offers the entry to a bounded
 * queue, and one writer thread formats and writes. When the writer cannot keep up (a slow disk, a
 * paused terminal) entries are dropped and counted, because an event loop that waited for the log
 * would stall every call on it. {@link #close} writes what is queued, then flushes.
 */
final class QueuedAccessLog implements AccessLog {
  private static final Logger log = LoggerFactory.getLogger(QueuedAccessLog.class);

  /** Enough for bursts of some 16k calls between two writes; an entry is about 150 bytes. */
  static final int DEFAULT_CAPACITY = 16 * 1024;

  private static final long CLOSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

  private static final long DROP_REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  // Tells the writer to stop; compared by identity.
  private static final AccessLogEntry END =
      new AccessLogEntry(0, null, null, null, null, null, false, 0, 0, null, null, 0, 0, 0);

  private final BlockingQueue<AccessLogEntry> queue;
  private final AccessLogFormatter formatter;
  private final Writer out;
  private final boolean closeOut;
  private final String name;
  private final Thread writer;
  private final LongAdder dropped = new LongAdder();
  private volatile boolean closed;

  // Writer thread only.
  private long droppedReported;
  private long lastDropReportNanos;
  private boolean writeFailed;

  /**
   * @param out where lines go; buffered by the caller
   * @param closeOut whether {@link #close} closes {@code out} (a file) or only flushes it (stdout)
   * @param name where the log goes, for messages about it
   */
  QueuedAccessLog(
      AccessLogFormatter formatter, Writer out, boolean closeOut, String name, int capacity) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.formatter = formatter;
    this.out = out;
    this.closeOut = closeOut;
    this.name = name;
    this.writer = new Thread(this::run, "ferry-access-log");
    // A daemon, so that a forgotten close never keeps the JVM alive; close() is what flushes.
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void log(AccessLogEntry entry) {
    if (closed || !queue.offer(entry)) {
      dropped.increment();
    }
  }

  /** Entries dropped so far because the queue was full or the log was closed. */
  long droppedCount() {
    return dropped.sum();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      // Waits for room and for the writer, but not forever: a terminal paused with Ctrl-S must
      // not keep the proxy from shutting down. Close runs on a shutdown path, never an event loop.
      long deadline = System.nanoTime() + CLOSE_TIMEOUT_NANOS;
      if (!queue.offer(END, CLOSE_TIMEOUT_NANOS, TimeUnit.NANOSECONDS)) {
        log.warn("access log {}: the writer is stuck; {} entries are lost", name, queue.size());
        return;
      }
      writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (writer.isAlive()) {
        log.warn("access log {}: the writer is stuck; {} entries are lost", name, queue.size());
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Entries that raced with close, offered after END.
    dropped.add(queue.size());
    queue.clear();
    try {
      if (closeOut) {
        out.close();
      } else {
        out.flush();
      }
    } catch (IOException e) {
      log.warn("access log {}: cannot flush: {}", name, e.toString());
    }
    long lost = dropped.sum();
    if (lost > 0) {
      log.warn(
          "access log {}: {} entries were dropped in all (the writer could not keep up)",
          name,
          lost);
    }
  }

  private void run() {
    StringBuilder line = new StringBuilder(256);
    try {
      while (true) {
        AccessLogEntry e = queue.take();
        if (e == END) {
          break;
        }
        write(e, line);
        // Flush only when caught up: one write per burst, yet no line waits long to appear.
        if (queue.isEmpty()) {
          flush();
        }
      }
      flush();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  private void write(AccessLogEntry e, StringBuilder line) {
    line.setLength(0);
    try {
      formatter.format(e, line);
      line.append('\n');
      out.append(line);
    } catch (IOException | RuntimeException ex) {
      dropped.increment();
      if (!writeFailed) {
        writeFailed = true;
        log.warn("access log {}: cannot write, dropping entries: {}", name, ex.toString());
      }
    }
  }

  private void flush() {
    try {
      out.flush();
    } catch (IOException ex) {
      if (!writeFailed) {
        writeFailed = true;
        log.warn("access log {}: cannot write, dropping entries: {}", name, ex.toString());
      }
    }
    reportDrops();
  }

  private void reportDrops() {
    long now = System.nanoTime();
    long total = dropped.sum();
    if (total > droppedReported && now - lastDropReportNanos >= DROP_REPORT_INTERVAL_NANOS) {
      log.warn(
          "access log {}: dropped {} entries because the writer could not keep up",
          name,
          total - droppedReported);
      droppedReported = total;
      lastDropReportNanos = now;
    }
  }
}
