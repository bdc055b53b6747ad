package dev.ferry.proxy.health;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether one endpoint of one cluster may take new calls, shared by every event loop: active health
 * checks and outlier detection write it, every loop's balancer reads it. A volatile read per pick
 * is all it costs the data path; a call that succeeds only reads the failure count, and writes it
 * only when it was not zero.
 */
public final class EndpointHealth {
  private volatile boolean healthy = true;
  private volatile String lastFailure;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private volatile long ejectedUntil;
  private volatile boolean everEjected;
  private volatile int ejectionMultiplier;
  private volatile long ejections;

  /** A call ended well: the run of failures is over. */
  public void succeeded() {
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
  }

  /** A call failed; returns the failures in a row so far. */
  public int failed() {
    return consecutiveFailures.incrementAndGet();
  }

  /** Whether an ejection lasts at {@code now} (nanoseconds on the ejecting clock). */
  public boolean isEjectedAt(long now) {
    return everEjected && now - ejectedUntil < 0;
  }

  /** When the current or last ejection ends; meaningless while {@link #ejections} is 0. */
  public long ejectedUntil() {
    return ejectedUntil;
  }

  /** How often the endpoint was ejected since the proxy started. */
  public long ejections() {
    return ejections;
  }

  /** The multiplier of the last ejection's base time. */
  public int ejectionMultiplier() {
    return ejectionMultiplier;
  }

  /**
   * Ejects until {@code until} with {@code multiplier}; the caller serialises ejections of one
   * cluster.
   */
  public void eject(long until, int multiplier) {
    ejectionMultiplier = multiplier;
    ejectedUntil = until;
    everEjected = true;
    ejections++;
    consecutiveFailures.set(0);
  }

  /** Forgets the run of failures without ejecting (the cluster has ejected all it may). */
  public void resetFailures() {
    consecutiveFailures.set(0);
  }

  /** Whether the endpoint passes its active health checks (always, when it has none). */
  public boolean isHealthy() {
    return healthy;
  }

  /** Why the last check failed, or {@code null}. */
  public String lastFailure() {
    return lastFailure;
  }

  public void healthy(boolean healthy, String failure) {
    this.lastFailure = failure;
    this.healthy = healthy;
  }
}
