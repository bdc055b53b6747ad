package dev.ferry.proxy;

import dev.ferry.proxy.call.Worker;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.health.EndpointHealth;
import dev.ferry.proxy.health.OutlierDetector;
import dev.ferry.proxy.metrics.EndpointStats;
import dev.ferry.proxy.upstream.UpstreamCluster;
import dev.ferry.proxy.upstream.UpstreamEndpoint;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Samples every endpoint's state for the admin listener and the metrics: in-flight calls and
 * connections are read on each event loop (they belong to it) and summed; health and ejection come
 * from the state the loops share.
 */
final class EndpointSampler {
  private EndpointSampler() {}

  static List<EndpointStats> sample(Collection<Worker> workers, ProxyConfig config) {
    List<Future<Map<String, int[][]>>> perLoop = new ArrayList<>(workers.size());
    for (Worker w : workers) {
      if (w.loop().isShuttingDown()) {
        return List.of();
      }
      perLoop.add(w.loop().submit(() -> sampleLoop(w)));
    }
    Map<String, int[][]> sum = new java.util.HashMap<>();
    Map<String, List<EndpointHealth>> health = new java.util.HashMap<>();
    Map<String, OutlierDetector> outliers = new java.util.HashMap<>();
    for (Future<Map<String, int[][]>> f : perLoop) {
      Map<String, int[][]> m;
      try {
        m = f.get(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      } catch (ExecutionException | TimeoutException e) {
        continue;
      }
      m.forEach(
          (cluster, eps) -> {
            int[][] acc = sum.computeIfAbsent(cluster, k -> new int[eps.length][3]);
            for (int i = 0; i < eps.length && i < acc.length; i++) {
              acc[i][0] += eps[i][0];
              acc[i][1] += eps[i][1];
              acc[i][2] |= eps[i][2];
            }
          });
    }
    List<EndpointStats> out = new ArrayList<>();
    Worker any = workers.iterator().next();
    for (UpstreamCluster c : any.clusters()) {
      health.put(c.name(), c.endpoints().stream().map(UpstreamEndpoint::health).toList());
      if (c.outlier() != null) {
        outliers.put(c.name(), c.outlier());
      }
    }
    for (ClusterConfig c : config.clusters().values()) {
      int[][] acc = sum.get(c.name());
      List<EndpointHealth> hs = health.getOrDefault(c.name(), List.of());
      for (int i = 0; i < c.endpoints().size(); i++) {
        var ep = c.endpoints().get(i);
        int[] a = acc == null || i >= acc.length ? new int[3] : acc[i];
        EndpointHealth h = i < hs.size() ? hs.get(i) : null;
        boolean healthy = h == null || h.isHealthy();
        OutlierDetector od = outliers.get(c.name());
        boolean ejected = a[2] != 0 || (h != null && od != null && od.isEjected(h));
        out.add(
            new EndpointStats(
                c.name(),
                ep.toString(),
                Math.max(1, ep.weight()),
                healthy,
                ejected,
                h == null ? 0 : h.ejections(),
                a[0],
                a[1]));
      }
    }
    return out;
  }

  /** On {@code w}'s loop: per cluster, per endpoint {in-flight, connections, ejected}. */
  private static Map<String, int[][]> sampleLoop(Worker w) {
    Map<String, int[][]> out = new java.util.HashMap<>();
    for (UpstreamCluster c : w.clusters()) {
      List<UpstreamEndpoint> eps = c.endpoints();
      int[][] a = new int[eps.size()][3];
      for (int i = 0; i < eps.size(); i++) {
        UpstreamEndpoint e = eps.get(i);
        a[i][0] = e.inFlight();
        a[i][1] = e.connectionCount();
        a[i][2] = e.isConnectEjected() ? 1 : 0;
      }
      out.put(c.name(), a);
    }
    return out;
  }
}
