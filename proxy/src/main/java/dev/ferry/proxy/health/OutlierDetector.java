package dev.ferry.proxy.health;

import dev.ferry.proxy.config.OutlierConfig;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ejects the endpoints of one cluster whose calls fail too often in a row, judged on what calls
 * actually return: connect failures, resets, and the gRPC status whether it came in headers, a
 * Trailers-Only response or trailers. Shared by every event loop: counting is lock-free, and only
 * an ejection (rare) takes this detector's lock, so that the share ejected at once is exact.
 *
 * <p>An ejection lasts the base time times how often the endpoint was ejected lately, at most the
 * maximum; an endpoint that stayed in for the maximum time since its last ejection starts again at
 * the base time. Nothing needs to happen when an ejection ends: pickers compare the end with the
 * clock.
 */
public final class OutlierDetector {
  private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

  private final String cluster;
  private final OutlierConfig config;
  private final List<EndpointHealth> endpoints;
  private final LongSupplier nanoClock;
  private final boolean[] failureStatus = new boolean[17];
  private final int maxEjected;

  /**
   * @param endpoints the cluster's endpoints (their shared state)
   * @param nanoClock the clock of ejections, {@code System::nanoTime} outside tests
   */
  public OutlierDetector(
      String cluster,
      OutlierConfig config,
      List<EndpointHealth> endpoints,
      LongSupplier nanoClock) {
    this.cluster = cluster;
    this.config = config;
    this.endpoints = List.copyOf(endpoints);
    this.nanoClock = nanoClock;
    for (int s : config.statuses()) {
      if (s >= 0 && s < failureStatus.length) {
        failureStatus[s] = true;
      }
    }
    int share = endpoints.size() * config.maxEjectionPercent() / 100;
    this.maxEjected = config.maxEjectionPercent() == 0 ? 0 : Math.max(1, share);
  }

  /** Whether a call ending with {@code grpcStatus} counts as a failure of its endpoint. */
  public boolean isFailure(int grpcStatus) {
    return grpcStatus >= 0 && grpcStatus < failureStatus.length && failureStatus[grpcStatus];
  }

  /** A call on {@code h} ended well. */
  public void succeeded(EndpointHealth h) {
    h.succeeded();
  }

  /** A call on {@code h} (named {@code name}) failed because of {@code why}. */
  public void failed(EndpointHealth h, String name, String why) {
    if (h.failed() >= config.consecutiveFailures()) {
      maybeEject(h, name, why);
    }
  }

  /** Whether {@code h} is ejected now. */
  public boolean isEjected(EndpointHealth h) {
    return h.isEjectedAt(nanoClock.getAsLong());
  }

  private synchronized void maybeEject(EndpointHealth h, String name, String why) {
    long now = nanoClock.getAsLong();
    if (h.isEjectedAt(now)) {
      h.resetFailures(); // calls that were already running when it was ejected
      return;
    }
    int ejected = 0;
    for (EndpointHealth e : endpoints) {
      if (e.isEjectedAt(now)) {
        ejected++;
      }
    }
    if (ejected >= maxEjected) {
      h.resetFailures();
      // DEBUG: under a failing cluster this would repeat every few calls.
      log.debug(
          "cluster {}: {} keeps failing ({}) but {} of {} endpoints are ejected already,"
              + " the most max_ejection_percent {}% allows",
          cluster, name, why, ejected, endpoints.size(), config.maxEjectionPercent());
      return;
    }
    long max = config.maxEjectionTime().toNanos();
    boolean calmSince = h.ejections() == 0 || now - h.ejectedUntil() > max;
    int multiplier = calmSince ? 1 : h.ejectionMultiplier() + 1;
    long base = config.baseEjectionTime().toNanos();
    long duration = base > max / multiplier ? max : base * multiplier;
    h.eject(now + duration, multiplier);
    log.warn(
        "cluster {}: ejected {} for {}ms after {} failures in a row, the last: {}",
        cluster,
        name,
        duration / 1_000_000,
        config.consecutiveFailures(),
        why);
  }
}
