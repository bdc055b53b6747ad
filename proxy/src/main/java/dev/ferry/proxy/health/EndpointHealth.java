package dev.ferry.proxy.health;

/**
 * Whether one endpoint of one cluster may take new calls, shared by every event loop: active health
 * checks write it from one loop, every loop's balancer reads it. A volatile read per pick is all it
 * costs the data path.
 */
public final class EndpointHealth {
  private volatile boolean healthy = true;
  private volatile String lastFailure;

  /** Whether the endpoint passes its active health checks (always, when it has none). */
  public boolean isHealthy() {
    return healthy;
  }

  /** Why the last check failed, or {@code null}. */
  public String lastFailure() {
    return lastFailure;
  }

  void healthy(boolean healthy, String failure) {
    this.lastFailure = failure;
    this.healthy = healthy;
  }
}
