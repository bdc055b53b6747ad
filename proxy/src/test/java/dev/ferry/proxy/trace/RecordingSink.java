package dev.ferry.proxy.trace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Keeps every event and lets a test wait, with a deadline, until some have arrived. */
final class RecordingSink implements TraceSink {
  private final List<TraceEvent> events = new ArrayList<>();

  @Override
  public synchronized void accept(TraceEvent event) {
    events.add(event);
    notifyAll();
  }

  synchronized List<TraceEvent> events() {
    return List.copyOf(events);
  }

  /** Waits until {@code count} events match, and returns them; fails after 10 seconds. */
  synchronized List<TraceEvent> await(Predicate<TraceEvent> match, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<TraceEvent> found = events.stream().filter(match).toList();
      if (found.size() >= count) {
        return found;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("waited for " + count + " events, got " + found + " in " + events);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  List<TraceEvent> awaitCalls(int count) throws InterruptedException {
    return await(e -> e.kind() == TraceEvent.Kind.CALL, count);
  }
}
