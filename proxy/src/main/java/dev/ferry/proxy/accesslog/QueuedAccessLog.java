package dev.ferry.proxy.accesslog;

import dev.ferry.proxy.output.QueuedLineWriter;
import java.io.Writer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An access log that never blocks its callers: entries go through a {@link QueuedLineWriter}, and
 * dropped ones are reported in ferry's own log at most every ten seconds.
 */
final class QueuedAccessLog implements AccessLog {
  private static final Logger log = LoggerFactory.getLogger(QueuedAccessLog.class);

  /** Enough for bursts of some 16k calls between two writes; an entry is about 150 bytes. */
  static final int DEFAULT_CAPACITY = 16 * 1024;

  private static final long DROP_REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final QueuedLineWriter<AccessLogEntry> writer;

  // Writer thread only (QueuedLineWriter calls gap there).
  private long dropsUnreported;
  private long lastDropReportNanos;

  /**
   * @param out where lines go; buffered by the caller
   * @param closeOut whether {@link #close} closes {@code out} (a file) or only flushes it (stdout)
   * @param name where the log goes, for messages about it
   */
  QueuedAccessLog(
      AccessLogFormatter formatter, Writer out, boolean closeOut, String name, int capacity) {
    String what = "access log " + name;
    this.writer =
        new QueuedLineWriter<>(
            what,
            new QueuedLineWriter.Lines<>() {
              @Override
              public void format(AccessLogEntry entry, StringBuilder line) {
                formatter.format(entry, line);
              }

              @Override
              public String gap(long dropped) {
                reportDrops(what, dropped);
                return null;
              }
            },
            out,
            closeOut,
            capacity,
            "ferry-access-log");
  }

  @Override
  public void log(AccessLogEntry entry) {
    writer.offer(entry);
  }

  /** Entries dropped so far because the queue was full or the log was closed. */
  long droppedCount() {
    return writer.droppedCount();
  }

  @Override
  public void close() {
    writer.close();
  }

  private void reportDrops(String what, long dropped) {
    dropsUnreported += dropped;
    long now = System.nanoTime();
    if (now - lastDropReportNanos >= DROP_REPORT_INTERVAL_NANOS) {
      log.warn(
          "{}: dropped {} entries because the writer could not keep up", what, dropsUnreported);
      dropsUnreported = 0;
      lastDropReportNanos = now;
    }
  }
}
