package dev.ferry.proxy.retry;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Caps one route's retries at a share of its calls, so that a failing cluster sees at most that
 * much more load instead of every call times {@code max_attempts}. Calls and retries are counted in
 * ten-second windows; the previous window counts in proportion to how much of it still overlaps the
 * last ten seconds (a sliding window from two counters). A few retries per window are always
 * allowed, so that a quiet route can still retry.
 *
 * <p>Shared by every event loop. Counting a call is one {@link LongAdder} add; deciding on a retry,
 * which only a failed call does, takes this budget's lock.
 */
public final class RetryBudget {
  /** Retries allowed per window whatever the share: a quiet route must be able to retry. */
  static final int MIN_RETRIES = 3;

  static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final int percent;
  private final LongSupplier nanoClock;
  private final LongAdder calls = new LongAdder();
  private long windowStart;
  private long retries;
  private long previousCalls;
  private long previousRetries;

  public RetryBudget(int percent, LongSupplier nanoClock) {
    this.percent = percent;
    this.nanoClock = nanoClock;
    this.windowStart = nanoClock.getAsLong();
  }

  /** A call of the route started. */
  public void callStarted() {
    calls.increment();
  }

  /** Whether one more retry fits the budget; if so, it is counted. */
  public synchronized boolean tryRetry() {
    long now = nanoClock.getAsLong();
    long elapsed = now - windowStart;
    if (elapsed >= WINDOW_NANOS) {
      boolean adjacent = elapsed < 2 * WINDOW_NANOS;
      long current = calls.sumThenReset();
      previousCalls = adjacent ? current : 0;
      previousRetries = adjacent ? retries : 0;
      retries = 0;
      windowStart = adjacent ? windowStart + WINDOW_NANOS : now;
      elapsed = now - windowStart;
    }
    double overlap = 1.0 - (double) elapsed / WINDOW_NANOS;
    double recentCalls = calls.sum() + previousCalls * overlap;
    double recentRetries = retries + previousRetries * overlap;
    if (recentRetries + 1 > MIN_RETRIES + recentCalls * percent / 100.0) {
      return false;
    }
    retries++;
    return true;
  }
}
