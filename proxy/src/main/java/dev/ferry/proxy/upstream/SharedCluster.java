package dev.ferry.proxy.upstream;

import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.Endpoint;
import dev.ferry.proxy.health.OutlierDetector;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The half of one running cluster that every event loop shares: its endpoints' addresses (kept
 * fresh by DNS), its outlier detection, its count of calls in flight and how its connections are
 * opened. Each loop gets its own half, an {@link UpstreamCluster}, from {@link #forLoop}.
 */
public final class SharedCluster implements AutoCloseable {
  private final ClusterConfig config;
  private final List<EndpointAddress> addresses;
  private final OutlierDetector outlier;
  private final ConnectSettings connect;
  private final AtomicInteger inFlight = new AtomicInteger();
  // Round robin's turn, cluster-wide: per-loop counters let calls on different connections land on
  // the same endpoint.
  private final AtomicInteger turns;
  private final ScheduledFuture<?> refresh;

  private SharedCluster(
      ClusterConfig config,
      List<EndpointAddress> addresses,
      ConnectSettings connect,
      ScheduledExecutorService dns) {
    this.config = config;
    this.addresses = addresses;
    this.connect = connect;
    this.turns = new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 16));
    this.outlier =
        config.outlierDetection() == null
            ? null
            : new OutlierDetector(
                config.name(),
                config.outlierDetection(),
                addresses.stream().map(EndpointAddress::health).toList(),
                System::nanoTime);
    long ms = config.dnsRefresh().toMillis();
    this.refresh =
        ms > 0 && needsDns(addresses)
            ? dns.scheduleWithFixedDelay(
                () -> addresses.forEach(EndpointAddress::resolve), ms, ms, TimeUnit.MILLISECONDS)
            : null;
  }

  /**
   * Resolves {@code config}'s endpoints once, blocking (so never on an event loop), and schedules
   * their refresh on {@code dns}.
   *
   * @param tls the TLS context made from {@code config}'s TLS section, or {@code null} without
   */
  public static SharedCluster start(
      ClusterConfig config, SslContext tls, ScheduledExecutorService dns) {
    List<EndpointAddress> addresses = new ArrayList<>();
    for (Endpoint e : config.endpoints()) {
      EndpointAddress a = new EndpointAddress(e, InetAddress::getByName);
      a.resolve();
      addresses.add(a);
    }
    return new SharedCluster(config, List.copyOf(addresses), ConnectSettings.of(config, tls), dns);
  }

  private static boolean needsDns(List<EndpointAddress> list) {
    for (EndpointAddress a : list) {
      String h = a.endpoint().host();
      if (a.endpoint().socket() == null
          && !h.contains(":")
          && !h.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch))) {
        return true;
      }
    }
    return false;
  }

  public String name() {
    return config.name();
  }

  /** A fresh view of this cluster for the loop of {@code connector}: its own pools and balancer. */
  public UpstreamCluster forLoop(UpstreamConnector connector) {
    return new UpstreamCluster(this, connector);
  }

  ClusterConfig config() {
    return config;
  }

  List<EndpointAddress> addresses() {
    return addresses;
  }

  /** The cluster's outlier detection, or {@code null} when it has none. */
  OutlierDetector outlier() {
    return outlier;
  }

  ConnectSettings connect() {
    return connect;
  }

  /** The cluster's calls in flight over every loop, for {@link ClusterConfig#maxInFlight}. */
  AtomicInteger inFlight() {
    return inFlight;
  }

  /** Round robin's turn, shared by every loop's balancer of this cluster. */
  AtomicInteger turns() {
    return turns;
  }

  /** Stops refreshing the addresses; loops' views still in use keep the last ones. */
  @Override
  public void close() {
    if (refresh != null) {
      refresh.cancel(false);
    }
  }
}
