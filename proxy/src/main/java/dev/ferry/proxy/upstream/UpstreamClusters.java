package dev.ferry.proxy.upstream;

import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.Endpoint;
import dev.ferry.proxy.health.OutlierDetector;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The configured clusters shared by all event loops: their endpoints' addresses, resolved at start
 * and again every {@link ClusterConfig#dnsRefresh} on a thread of their own (name resolution
 * blocks, so never on a loop).
 */
public final class UpstreamClusters implements AutoCloseable {
  private final Map<String, ClusterConfig> configs;
  private final Map<String, SslContext> tls;
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, List<EndpointAddress>> addresses = new HashMap<>();
  private final Map<String, OutlierDetector> outliers = new HashMap<>();
  private final ScheduledExecutorService dns;

  private UpstreamClusters(Map<String, ClusterConfig> configs, Map<String, SslContext> tls) {
    this.configs = Map.copyOf(configs);
    this.tls = Map.copyOf(tls);
    this.dns =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ferry-dns");
              t.setDaemon(true);
              return t;
            });
  }

  /** Resolves every endpoint once (blocking) and schedules the refreshes. */
  public static UpstreamClusters start(Map<String, ClusterConfig> configs) {
    return start(configs, Map.of());
  }

  /** Like {@link #start(Map)}, with the TLS contexts of the clusters that have TLS, by name. */
  public static UpstreamClusters start(
      Map<String, ClusterConfig> configs, Map<String, SslContext> tls) {
    UpstreamClusters c = new UpstreamClusters(configs, tls);
    for (Map.Entry<String, ClusterConfig> e : c.configs.entrySet()) {
      List<EndpointAddress> list = new ArrayList<>();
      for (Endpoint ep : e.getValue().endpoints()) {
        EndpointAddress a = new EndpointAddress(ep);
        a.resolve();
        list.add(a);
      }
      c.addresses.put(e.getKey(), List.copyOf(list));
      if (e.getValue().outlierDetection() != null) {
        c.outliers.put(
            e.getKey(),
            new OutlierDetector(
                e.getKey(),
                e.getValue().outlierDetection(),
                list.stream().map(EndpointAddress::health).toList(),
                System::nanoTime));
      }
      Duration refresh = e.getValue().dnsRefresh();
      if (refresh != null && !refresh.isZero() && !refresh.isNegative() && needsDns(list)) {
        long ms = refresh.toMillis();
        c.dns.scheduleWithFixedDelay(
            () -> list.forEach(EndpointAddress::resolve), ms, ms, TimeUnit.MILLISECONDS);
      }
    }
    return c;
  }

  private static boolean needsDns(List<EndpointAddress> list) {
    for (EndpointAddress a : list) {
      String h = a.endpoint().host();
      if (!h.contains(":") && !h.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch))) {
        return true;
      }
    }
    return false;
  }

  /** Fresh per-loop state of every cluster, for the loop {@code loop}. */
  public Map<String, UpstreamCluster> forLoop(
      EventLoop loop, Class<? extends Channel> channelType, Random random) {
    Map<String, UpstreamCluster> out = new HashMap<>();
    for (Map.Entry<String, ClusterConfig> e : configs.entrySet()) {
      out.put(
          e.getKey(),
          new UpstreamCluster(
              e.getValue(),
              addresses.get(e.getKey()),
              loop,
              channelType,
              random,
              outliers.get(e.getKey()),
              tls.get(e.getKey()),
              inFlight.computeIfAbsent(e.getKey(), k -> new AtomicInteger())));
    }
    return out;
  }

  @Override
  public void close() {
    dns.shutdownNow();
  }
}
