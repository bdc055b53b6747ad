package dev.ferry.proxy.config;

import java.time.Duration;

/**
 * Active health checks of a cluster's endpoints: grpc.health.v1.Health/Check for {@code h2}
 * clusters, {@code GET path} for {@code http1} ones. An endpoint that fails {@link
 * #unhealthyThreshold} checks in a row gets no new calls until it passes {@link #healthyThreshold}
 * in a row.
 *
 * @param interval time between the end of one check of an endpoint and the start of the next
 * @param timeout how long one check may take before it counts as failed
 * @param healthyThreshold passes in a row that make an unhealthy endpoint healthy
 * @param unhealthyThreshold failures in a row that make a healthy endpoint unhealthy
 * @param jitterPercent each interval is lengthened or shortened by up to this share, at random, so
 *     that checks of many endpoints do not bunch up
 * @param service the service name sent in the HealthCheckRequest ({@code ""}: the whole server)
 * @param authority the {@code :authority} of checks, or {@code null} for the endpoint's host:port
 * @param path the path of HTTP checks ({@code http1} clusters)
 * @param panic what calls do when no endpoint is healthy
 */
public record HealthCheckConfig(
    Duration interval,
    Duration timeout,
    int healthyThreshold,
    int unhealthyThreshold,
    int jitterPercent,
    String service,
    String authority,
    String path,
    Panic panic) {

  /** What a cluster does when every endpoint fails its checks. */
  public enum Panic {
    /** Calls go to all endpoints anyway: a wrong health check must not take a service down. */
    OPEN,
    /** Calls end at once with UNAVAILABLE ({@code no_healthy_upstream}). */
    CLOSED
  }
}
