package dev.ferry.proxy.metrics;

import dev.ferry.proxy.accesslog.AccessLogEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last few calls that ended badly, with their reason and detail, for the dashboard. Written
 * only on the failure path, from any event loop, without a lock: a slot is claimed with one atomic
 * add, so a burst of failures on every loop at once costs no more than a counter.
 */
public final class RecentFailures {
  /** How many the dashboard shows. */
  static final int CAPACITY = 50;

  private final AtomicReferenceArray<AccessLogEntry> slots = new AtomicReferenceArray<>(CAPACITY);
  private final AtomicLong written = new AtomicLong();

  /** Keeps {@code entry}, forgetting the oldest when full. */
  public void add(AccessLogEntry entry) {
    long n = written.getAndIncrement();
    slots.set((int) (n % CAPACITY), entry);
  }

  /**
   * The failures kept, the one that ended last first. A reader racing writers may see a slot just
   * overwritten; sorting by end time keeps the list in order all the same.
   */
  public List<AccessLogEntry> newestFirst() {
    Set<AccessLogEntry> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<AccessLogEntry> out = new ArrayList<>(CAPACITY);
    for (int i = 0; i < CAPACITY; i++) {
      AccessLogEntry e = slots.get(i);
      if (e != null && seen.add(e)) {
        out.add(e);
      }
    }
    out.sort(Comparator.comparingLong(RecentFailures::endNanos).reversed());
    return out;
  }

  private static long endNanos(AccessLogEntry e) {
    return e.startMillis() * 1_000_000 + e.durationNanos();
  }
}
