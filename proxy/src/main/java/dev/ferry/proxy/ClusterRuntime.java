package dev.ferry.proxy;

import dev.ferry.proxy.call.Worker;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.healthcheck.HealthChecker;
import dev.ferry.proxy.tls.ClientTls;
import dev.ferry.proxy.upstream.ClusterRetirement;
import dev.ferry.proxy.upstream.SharedCluster;
import dev.ferry.proxy.upstream.UpstreamCluster;
import dev.ferry.proxy.upstream.UpstreamConnector;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The proxy's running clusters, across reloads: it starts each configured cluster (its {@link
 * SharedCluster}), gives every event loop its view of it (an {@link UpstreamCluster}, through that
 * loop's {@link UpstreamConnector}), runs its health checks, and on a reload replaces only the
 * clusters whose configuration changed: the others keep their pools, their health and their
 * ejections.
 */
final class ClusterRuntime implements AutoCloseable {
  private final Map<EventLoop, UpstreamConnector> connectors = new IdentityHashMap<>();
  // Name resolution blocks, so it runs on a thread of its own, never on a loop.
  private final ScheduledExecutorService dns =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ferry-dns");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, SharedCluster> running = new HashMap<>();
  private final Map<String, HealthChecker> checkers = new HashMap<>();
  private List<Worker> workers = List.of();

  /**
   * @param loops the proxy's event loops; each gets one connector
   * @param channelType the socket type of the loops' transport
   */
  ClusterRuntime(Iterable<EventExecutor> loops, Class<? extends Channel> channelType) {
    for (EventExecutor e : loops) {
      connectors.put((EventLoop) e, new UpstreamConnector((EventLoop) e, channelType));
    }
  }

  /**
   * Starts {@code configs}' clusters, resolving their endpoints (blocking), replacing any running
   * under the same name.
   *
   * @param tls the clusters' TLS contexts by name, for those that have TLS
   */
  void start(Map<String, ClusterConfig> configs, Map<String, SslContext> tls) {
    for (ClusterConfig c : configs.values()) {
      SharedCluster old = running.put(c.name(), SharedCluster.start(c, tls.get(c.name()), dns));
      if (old != null) {
        old.close();
      }
    }
  }

  /** The running clusters as seen from {@code loop}: fresh pools and balancers. */
  Map<String, UpstreamCluster> forLoop(EventLoop loop) {
    return forLoop(loop, running.keySet());
  }

  private Map<String, UpstreamCluster> forLoop(EventLoop loop, Set<String> names) {
    UpstreamConnector connector = connectors.get(loop);
    Map<String, UpstreamCluster> out = new HashMap<>();
    for (String name : names) {
      out.put(name, running.get(name).forLoop(connector));
    }
    return out;
  }

  /** The loops' workers, once built; health checks start here. */
  void attach(List<Worker> workers, Iterable<ClusterConfig> configs) {
    this.workers = List.copyOf(workers);
    for (ClusterConfig c : configs) {
      startChecks(c);
    }
  }

  /** One checker per cluster with a health_check, spread over the loops. */
  private void startChecks(ClusterConfig c) {
    if (c.healthCheck() == null || workers.isEmpty()) {
      return;
    }
    Worker w = workers.get(Math.floorMod(c.name().hashCode(), workers.size()));
    for (UpstreamCluster uc : w.clusters()) {
      if (uc.name().equals(c.name())) {
        checkers.put(c.name(), HealthChecker.start(c, w.loop(), uc.endpoints(), new Random()));
      }
    }
  }

  /**
   * First step of a reload: every loop gets new clusters for those added or changed in {@code
   * next}; removed ones stay until {@link #dropRemoved}, so that routes not yet replaced still find
   * them. Returns what changed, by name.
   */
  Changes replace(Map<String, ClusterConfig> old, Map<String, ClusterConfig> next, Duration drain) {
    Map<String, ClusterConfig> fresh = new LinkedHashMap<>();
    Set<String> removed = new HashSet<>(old.keySet());
    removed.removeAll(next.keySet());
    List<String> kept = new ArrayList<>();
    for (Map.Entry<String, ClusterConfig> e : next.entrySet()) {
      if (e.getValue().equals(old.get(e.getKey()))) {
        kept.add(e.getKey());
      } else {
        fresh.put(e.getKey(), e.getValue());
      }
    }
    if (!fresh.isEmpty()) {
      try {
        start(fresh, ClientTls.forClusters(fresh));
      } catch (IOException e) {
        throw new UncheckedIOException(e.getMessage(), e);
      }
    }
    for (Worker w : workers) {
      Map<String, UpstreamCluster> map = new HashMap<>();
      for (UpstreamCluster c : w.clusters()) {
        if (!fresh.containsKey(c.name())) {
          map.put(c.name(), c);
        }
      }
      map.putAll(forLoop(w.loop(), fresh.keySet()));
      Map<String, UpstreamCluster> replaced = w.replaceClusters(map);
      for (String name : fresh.keySet()) {
        UpstreamCluster retired = replaced.get(name);
        if (retired != null) {
          w.loop().execute(() -> ClusterRetirement.closeWhenIdle(retired, w.loop(), drain));
        }
      }
    }
    for (String name : fresh.keySet()) {
      HealthChecker h = checkers.remove(name);
      if (h != null) {
        h.close();
      }
      startChecks(fresh.get(name));
    }
    return new Changes(List.copyOf(fresh.keySet()), List.copyOf(removed), kept);
  }

  /** Last step of a reload, once no route names them: removed clusters go. */
  void dropRemoved(List<String> removed, Duration drain) {
    if (removed.isEmpty()) {
      return;
    }
    for (Worker w : workers) {
      Map<String, UpstreamCluster> map = new HashMap<>();
      List<UpstreamCluster> gone = new ArrayList<>();
      for (UpstreamCluster c : w.clusters()) {
        if (removed.contains(c.name())) {
          gone.add(c);
        } else {
          map.put(c.name(), c);
        }
      }
      w.replaceClusters(map);
      for (UpstreamCluster c : gone) {
        w.loop().execute(() -> ClusterRetirement.closeWhenIdle(c, w.loop(), drain));
      }
    }
    for (String name : removed) {
      HealthChecker h = checkers.remove(name);
      if (h != null) {
        h.close();
      }
      SharedCluster s = running.remove(name);
      if (s != null) {
        s.close();
      }
    }
  }

  /** Stops every health check and name resolution. */
  @Override
  public void close() {
    checkers.values().forEach(HealthChecker::close);
    checkers.clear();
    running.values().forEach(SharedCluster::close);
    running.clear();
    dns.shutdownNow();
  }

  /** What a reload did to the clusters, by name. */
  record Changes(List<String> replaced, List<String> removed, List<String> kept) {}
}
