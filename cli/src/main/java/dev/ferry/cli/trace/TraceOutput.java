package dev.ferry.cli.trace;

import dev.ferry.proxy.trace.CallStatusTable;
import dev.ferry.proxy.trace.TraceEvent;
import dev.ferry.proxy.trace.TraceFilter;
import dev.ferry.proxy.trace.TraceFormatter;
import dev.ferry.proxy.trace.TraceSink;
import java.io.PrintWriter;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the tap's events go in {@code ferry trace}: filtered, counted, and handed to one writer
 * thread, so that a slow terminal does not stall the event loops that relay the bytes. The queue is
 * bounded: when the terminal cannot keep up at all, the tap slows down rather than fill the heap.
 */
public final class TraceOutput implements TraceSink, AutoCloseable {
  private static final int QUEUE_CAPACITY = 16_384;

  private final PrintWriter out;
  private final TraceFilter filter;
  private final TraceFormatter formatter;
  private final boolean asCommands;
  private final CallStatusTable table = new CallStatusTable();
  private final AtomicInteger callsLeft;
  private final Runnable whenCallsDone;
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Object endMarker = new Object();
  private final Thread writer;

  /**
   * @param asCommands prints each call as the {@code ferry call} command that repeats it, and
   *     nothing else
   * @param stopAfterCalls runs {@code whenCallsDone} once this many calls have ended (0: never)
   */
  public TraceOutput(
      PrintWriter out,
      TraceFilter filter,
      TraceFormatter formatter,
      boolean asCommands,
      int stopAfterCalls,
      Runnable whenCallsDone) {
    this.out = out;
    this.filter = filter;
    this.formatter = formatter;
    this.asCommands = asCommands;
    this.callsLeft = new AtomicInteger(stopAfterCalls <= 0 ? -1 : stopAfterCalls);
    this.whenCallsDone = whenCallsDone;
    this.writer = new Thread(this::writeUntilEnd, "ferry-trace-output");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void accept(TraceEvent event) {
    boolean call = event.kind() == TraceEvent.Kind.CALL;
    if (call) {
      table.record(event);
    }
    if (filter.accepts(event)) {
      try {
        queue.put(event);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (call && callsLeft.decrementAndGet() == 0) {
      whenCallsDone.run();
    }
  }

  private void writeUntilEnd() {
    try {
      while (true) {
        Object next = queue.take();
        if (next == endMarker) {
          out.flush();
          return;
        }
        write((TraceEvent) next);
        if (queue.isEmpty()) {
          out.flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void write(TraceEvent event) {
    if (!asCommands) {
      out.println(formatter.format(event));
    } else if (event.kind() == TraceEvent.Kind.CALL && event.fields().get("command") != null) {
      out.println(event.fields().get("command"));
    }
  }

  /** Writes what is queued and stops the writer; call once the tap is closed. */
  @Override
  public void close() throws InterruptedException {
    queue.put(endMarker);
    writer.join();
  }

  /** Prints the table of calls by status, if there were calls. */
  public void printTable(PrintWriter to) {
    var lines = table.lines();
    if (!lines.isEmpty()) {
      to.println();
      lines.forEach(to::println);
    }
    to.flush();
  }
}
