package dev.ferry.proxy.connectionlog;

import java.util.function.LongSupplier;

/**
 * A token bucket for log lines of one kind: a burst of lines, then one line per refill interval; it
 * counts the lines it refused so that the next line it allows can say how many were left out.
 */
final class LogBudget {
  private final int burst;
  private final long refillNanos;
  private final LongSupplier nanoClock;
  private long tokens;
  private long lastRefill;
  private long suppressed;

  /**
   * @param burst lines allowed at once
   * @param refillNanos time for one more line to be allowed, up to {@code burst}
   */
  LogBudget(int burst, long refillNanos, LongSupplier nanoClock) {
    if (burst < 1 || refillNanos < 1) {
      throw new IllegalArgumentException(
          "burst: " + burst + ", refillNanos: " + refillNanos + " (expected: both > 0)");
    }
    this.burst = burst;
    this.refillNanos = refillNanos;
    this.nanoClock = nanoClock;
    this.tokens = burst;
    this.lastRefill = nanoClock.getAsLong();
  }

  /**
   * Takes a line's token: -1 when there is none (the line is suppressed and counted), else the
   * number of lines suppressed since the last allowed one.
   */
  synchronized long take() {
    long now = nanoClock.getAsLong();
    long earned = (now - lastRefill) / refillNanos;
    if (earned > 0) {
      tokens = Math.min(burst, tokens + earned);
      lastRefill = tokens == burst ? now : lastRefill + earned * refillNanos;
    }
    if (tokens == 0) {
      suppressed++;
      return -1;
    }
    tokens--;
    long before = suppressed;
    suppressed = 0;
    return before;
  }
}
