package dev.ferry.proxy.output;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one line per item from a bounded queue on one thread of its own, so that the event loops
 * offering items never wait for a disk or a terminal: when the writer cannot keep up, items are
 * dropped and counted, because a proxy whose loops waited for its access log or trace would stall
 * every call it carries. Both the access log and the listener trace write this way.
 *
 * @param <T> the items, each formatted into one line
 */
public final class QueuedLineWriter<T> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QueuedLineWriter.class);

  private static final long CLOSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

  // Tells the writer to stop; compared by identity.
  private static final Object END = new Object();

  /** What a writer writes: the line of each item, and what to do about dropped ones. */
  public interface Lines<T> {
    /** Appends the line of {@code item}, without its newline; an exception drops the item. */
    void format(T item, StringBuilder line);

    /**
     * Called on the writer thread each time it has caught up and {@code dropped} more items were
     * lost since the last call; returns a line to write where the gap is, or {@code null}.
     */
    String gap(long dropped);
  }

  private final BlockingQueue<Object> queue;
  private final Lines<T> lines;
  private final Writer out;
  private final boolean closeOut;
  private final String what;
  private final Thread writer;
  private final LongAdder dropped = new LongAdder();
  private volatile boolean closed;

  // Writer thread only.
  private long droppedSeen;
  private boolean writeFailed;

  /**
   * @param what the writer and its destination for log messages, such as {@code access log -}
   * @param out where lines go, buffered by the caller
   * @param closeOut whether {@link #close} closes {@code out} (a file) or only flushes it (stdout)
   */
  public QueuedLineWriter(
      String what, Lines<T> lines, Writer out, boolean closeOut, int capacity, String threadName) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.lines = lines;
    this.out = out;
    this.closeOut = closeOut;
    this.what = what;
    this.writer = new Thread(this::run, threadName);
    // A daemon, so that a forgotten close never keeps the JVM alive; close() is what flushes.
    writer.setDaemon(true);
    writer.start();
  }

  /** Queues {@code item}, or drops and counts it when the queue is full or closed; never blocks. */
  public void offer(T item) {
    if (closed || !queue.offer(item)) {
      dropped.increment();
    }
  }

  /** Items dropped so far. */
  public long droppedCount() {
    return dropped.sum();
  }

  /**
   * Writes what is queued, then closes or flushes; waits for a stuck writer a few seconds at most,
   * since a terminal paused with Ctrl-S must not keep the proxy from stopping.
   */
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
        log.warn("{}: the writer is stuck; {} lines are lost", what, queue.size());
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    // Items that raced with close, offered after END.
    dropped.add(queue.size());
    queue.clear();
    try {
      if (closeOut) {
        out.close();
      } else {
        out.flush();
      }
    } catch (IOException e) {
      log.warn("{}: cannot flush: {}", what, e.toString());
    }
    long lost = dropped.sum();
    if (lost > 0) {
      log.warn("{}: {} lines were dropped in all (the writer could not keep up)", what, lost);
    }
  }

  @SuppressWarnings("unchecked")
  private void run() {
    StringBuilder line = new StringBuilder(256);
    try {
      while (true) {
        Object item = queue.take();
        if (item == END) {
          break;
        }
        line.setLength(0);
        try {
          lines.format((T) item, line);
        } catch (RuntimeException ex) {
          // One item that cannot be rendered costs that item, never the rest.
          dropped.increment();
          continue;
        }
        write(line);
        // Only when caught up: one flush per burst, yet no line waits long to appear, and a gap
        // is reported right after the last line that made it.
        if (queue.isEmpty()) {
          caughtUp();
        }
      }
      caughtUp();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  private void caughtUp() {
    long total = dropped.sum();
    if (total > droppedSeen) {
      String gap = lines.gap(total - droppedSeen);
      droppedSeen = total;
      if (gap != null) {
        write(gap);
      }
    }
    try {
      out.flush();
    } catch (IOException ex) {
      failed(ex);
    }
  }

  private void write(CharSequence text) {
    try {
      out.append(text).append('\n');
    } catch (IOException | RuntimeException ex) {
      dropped.increment();
      failed(ex);
    }
  }

  private void failed(Exception ex) {
    if (!writeFailed) {
      writeFailed = true;
      log.warn("{}: cannot write, lines are lost: {}", what, ex.toString());
    }
  }
}
