package dev.ferry.proxy;

import dev.ferry.proxy.call.Worker;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.healthcheck.HealthChecker;
import dev.ferry.proxy.tls.ClientTls;
import dev.ferry.proxy.upstream.ClusterRetirement;
import dev.ferry.proxy.upstream.UpstreamCluster;
import dev.ferry.proxy.upstream.UpstreamClusters;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
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

/**
 * The proxy's clusters on every event loop, with their name resolution and health checks. A reload
 * replaces only the clusters whose configuration changed: the others keep their pools, their health
 * and their ejections.
 */
final class ClusterRuntime {
  private final Class<? extends Channel> channelType;
  private final Map<String, UpstreamClusters> owners = new HashMap<>();
  private final Map<String, HealthChecker> checkers = new HashMap<>();
  private final List<UpstreamClusters> all = new ArrayList<>();
  private List<Worker> workers = List.of();

  ClusterRuntime(Class<? extends Channel> channelType) {
    this.channelType = channelType;
  }

  /** Resolves {@code configs}' endpoints; the result makes each loop's clusters. */
  UpstreamClusters resolve(Map<String, ClusterConfig> configs) {
    try {
      return resolve(configs, ClientTls.forClusters(configs));
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** Like {@link #resolve(Map)}, with the clusters' TLS contexts already made. */
  UpstreamClusters resolve(Map<String, ClusterConfig> configs, Map<String, SslContext> tls) {
    UpstreamClusters c = UpstreamClusters.start(configs, tls);
    all.add(c);
    for (String name : configs.keySet()) {
      owners.put(name, c);
    }
    return c;
  }

  Map<String, UpstreamCluster> forLoop(UpstreamClusters c, EventLoop loop) {
    return c.forLoop(loop, channelType, new Random());
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
    UpstreamClusters resolved = fresh.isEmpty() ? null : resolve(fresh);
    for (Worker w : workers) {
      Map<String, UpstreamCluster> map = new HashMap<>();
      for (UpstreamCluster c : w.clusters()) {
        if (!fresh.containsKey(c.name())) {
          map.put(c.name(), c);
        }
      }
      if (resolved != null) {
        map.putAll(forLoop(resolved, w.loop()));
      }
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
    closeUnowned();
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
      owners.remove(name);
    }
    closeUnowned();
  }

  /** Name resolution of clusters no longer in use stops. */
  private void closeUnowned() {
    Map<UpstreamClusters, Boolean> inUse = new IdentityHashMap<>();
    owners.values().forEach(c -> inUse.put(c, true));
    all.removeIf(
        c -> {
          if (!inUse.containsKey(c)) {
            c.close();
            return true;
          }
          return false;
        });
  }

  /** Stops every health check and name resolution. */
  void close() {
    checkers.values().forEach(HealthChecker::close);
    checkers.clear();
    all.forEach(UpstreamClusters::close);
    all.clear();
  }

  /** What a reload did to the clusters, by name. */
  record Changes(List<String> replaced, List<String> removed, List<String> kept) {}
}
