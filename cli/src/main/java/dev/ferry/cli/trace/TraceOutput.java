package dev.ferry.cli.trace;

import dev.ferry.proxy.trace.CallStatusTable;
import dev.ferry.proxy.trace.TraceEvent;
import dev.ferry.proxy.trace.TraceFilter;
import dev.ferry.proxy.trace.TraceFormatter;
import dev.ferry.proxy.trace.TraceSink;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/**
 * Where the tap's events go in {@code ferry trace}: filtered, formatted, written, counted. Events
 * come from many event loops, so writing is synchronized: one event's lines never interleave with
 * another's.
 */
public final class TraceOutput implements TraceSink {
  private final PrintWriter out;
  private final TraceFilter filter;
  private final TraceFormatter formatter;
  private final boolean asCommands;
  private final CallStatusTable table = new CallStatusTable();
  private final CountDownLatch callsLeft;

  /**
   * @param asCommands prints each call as the {@code ferry call} command that repeats it, and
   *     nothing else
   * @param stopAfterCalls counts down {@link #callsDone} for this many calls (0: never)
   */
  public TraceOutput(
      PrintWriter out,
      TraceFilter filter,
      TraceFormatter formatter,
      boolean asCommands,
      int stopAfterCalls) {
    this.out = out;
    this.filter = filter;
    this.formatter = formatter;
    this.asCommands = asCommands;
    this.callsLeft = new CountDownLatch(stopAfterCalls <= 0 ? Integer.MAX_VALUE : stopAfterCalls);
  }

  @Override
  public void accept(TraceEvent event) {
    boolean call = event.kind() == TraceEvent.Kind.CALL;
    if (call) {
      table.record(event);
    }
    if (filter.accepts(event)) {
      synchronized (this) {
        if (!asCommands) {
          out.println(formatter.format(event));
        } else if (call && event.fields().get("command") != null) {
          out.println(event.fields().get("command"));
        }
        out.flush();
      }
    }
    if (call) {
      callsLeft.countDown();
    }
  }

  /** Released once the number of calls asked for has ended. */
  public CountDownLatch callsDone() {
    return callsLeft;
  }

  /** Prints the table of calls by status, if there were calls. */
  public synchronized void printTable(PrintWriter to) {
    var lines = table.lines();
    if (!lines.isEmpty()) {
      to.println();
      lines.forEach(to::println);
    }
    to.flush();
  }
}
