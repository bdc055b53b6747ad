package dev.ferry.proxy.healthcheck;

import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.HealthCheckConfig;
import dev.ferry.proxy.health.EndpointHealth;
import dev.ferry.proxy.upstream.UpstreamEndpoint;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every endpoint of one cluster, each on its own schedule: one check at a time per endpoint,
 * the next an interval (with jitter) after the previous one ended. Runs on one event loop and uses
 * that loop's connection pools; what it concludes is shared through {@link EndpointHealth}, which
 * every loop's balancer reads.
 */
public final class HealthChecker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

  private final ClusterConfig cluster;
  private final HealthCheckConfig config;
  private final EventLoop loop;
  private final Random random;
  private final List<Checked> endpoints = new ArrayList<>();
  private volatile boolean closed;

  private HealthChecker(ClusterConfig cluster, EventLoop loop, Random random) {
    this.cluster = cluster;
    this.config = cluster.healthCheck();
    this.loop = loop;
    this.random = random;
  }

  /**
   * Starts checking {@code endpoints} (the cluster's, as seen from {@code loop}); the first checks
   * run at once.
   */
  public static HealthChecker start(
      ClusterConfig cluster, EventLoop loop, List<UpstreamEndpoint> endpoints, Random random) {
    if (cluster.healthCheck() == null) {
      throw new IllegalArgumentException("cluster " + cluster.name() + " has no health_check");
    }
    HealthChecker c = new HealthChecker(cluster, loop, random);
    for (UpstreamEndpoint e : endpoints) {
      c.endpoints.add(new Checked(e));
    }
    loop.execute(() -> c.endpoints.forEach(c::check));
    return c;
  }

  private void check(Checked c) {
    if (closed) {
      return;
    }
    boolean grpc = cluster.protocol() == ClusterConfig.Protocol.H2;
    new HealthProbe(c.endpoint, loop, config, grpc, failure -> checked(c, failure)).start();
  }

  private void checked(Checked c, String failure) {
    if (closed) {
      return;
    }
    EndpointHealth h = c.endpoint.health();
    if (failure == null) {
      c.failures = 0;
      c.passes++;
      if (!h.isHealthy() && c.passes >= config.healthyThreshold()) {
        h.healthy(true, null);
        log.info("cluster {}: {} is healthy again", cluster.name(), c.endpoint.name());
      }
    } else {
      c.passes = 0;
      c.failures++;
      if (h.isHealthy() && c.failures >= config.unhealthyThreshold()) {
        h.healthy(false, failure);
        log.warn(
            "cluster {}: {} is unhealthy after {} failed checks: {}",
            cluster.name(),
            c.endpoint.name(),
            c.failures,
            failure);
      } else {
        log.debug("cluster {}: {} failed a check: {}", cluster.name(), c.endpoint.name(), failure);
      }
    }
    c.next = loop.schedule(() -> check(c), nextDelayNanos(), TimeUnit.NANOSECONDS);
  }

  /** The interval, lengthened or shortened at random by up to the jitter share. */
  long nextDelayNanos() {
    long interval = config.interval().toNanos();
    if (config.jitterPercent() == 0) {
      return interval;
    }
    long spread = interval * config.jitterPercent() / 100;
    return interval - spread + (long) (random.nextDouble() * 2 * spread);
  }

  /** Stops checking; health states stay as they are. */
  @Override
  public void close() {
    closed = true;
    if (!loop.isShuttingDown()) {
      loop.execute(
          () -> {
            for (Checked c : endpoints) {
              if (c.next != null) {
                c.next.cancel(false);
              }
            }
          });
    }
  }

  /** One endpoint's run of results; touched only on the checker's loop. */
  private static final class Checked {
    final UpstreamEndpoint endpoint;
    int passes;
    int failures;
    ScheduledFuture<?> next;

    Checked(UpstreamEndpoint endpoint) {
      this.endpoint = endpoint;
    }
  }
}
