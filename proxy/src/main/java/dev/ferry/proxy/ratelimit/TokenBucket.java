package dev.ferry.proxy.ratelimit;

/**
 * A token bucket: {@code capacity} tokens, refilled continuously at {@code permits} per {@code
 * periodNanos}. Times come from the caller, so tests drive it with a fake clock. Thread-safe: a
 * global bucket is shared by every event loop.
 */
final class TokenBucket {
  private final double capacity;
  private final double tokensPerNano;
  private double tokens;
  private long lastNanos;

  TokenBucket(int capacity, long permits, long periodNanos, long nowNanos) {
    this.capacity = capacity;
    this.tokensPerNano = (double) permits / periodNanos;
    this.tokens = capacity;
    this.lastNanos = nowNanos;
  }

  /**
   * Takes one token if there is one.
   *
   * @return 0 when taken, else how many nanoseconds until one will be there
   */
  synchronized long tryTake(long nowNanos) {
    refill(nowNanos);
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) / tokensPerNano));
  }

  /** Whether the bucket is full, so forgetting it changes nothing. */
  synchronized boolean isFull(long nowNanos) {
    refill(nowNanos);
    return tokens >= capacity;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * tokensPerNano);
      lastNanos = nowNanos;
    }
  }
}
