package dev.ferry.proxy.call;

import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.metrics.ProxyMeters;
import dev.ferry.proxy.metrics.RouteMeters;
import dev.ferry.proxy.route.Route;
import dev.ferry.proxy.schema.ClusterSchemas;
import dev.ferry.proxy.schema.SchemaRegistry;
import dev.ferry.proxy.transcode.HttpRuleRegistry;
import dev.ferry.proxy.upstream.UpstreamCluster;
import io.netty.channel.EventLoop;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What the calls of one event loop share, and nothing else does: the loop's upstream pools and
 * balancers. Used only on that loop, so it needs no locks.
 */
public final class Worker {
  private final EventLoop loop;
  // Replaced whole by a reload; read on this loop, written from the reloading thread.
  private volatile Map<String, UpstreamCluster> clusters;
  // What the clusters' reflection said; replaced with them, so a reload forgets it.
  private volatile SchemaRegistry schemas;
  // The HTTP/JSON rules the clusters' reflection gave; replaced with them too.
  private volatile HttpRuleRegistry httpRules;
  private final AccessLog accessLog;
  private final ProxyMeters meters;
  // Per loop, so a plain map: a call finds its route's meters without a lock or a label lookup.
  private final Map<Route, RouteMeters> routeMeters = new IdentityHashMap<>();
  private RouteMeters unrouted;

  public Worker(
      EventLoop loop,
      Map<String, UpstreamCluster> clusters,
      AccessLog accessLog,
      ProxyMeters meters) {
    this.loop = loop;
    this.clusters = Map.copyOf(clusters);
    this.schemas = new SchemaRegistry(loop);
    this.httpRules = new HttpRuleRegistry(loop);
    this.accessLog = accessLog;
    this.meters = meters;
  }

  public EventLoop loop() {
    return loop;
  }

  UpstreamCluster cluster(String name) {
    return clusters.get(name);
  }

  public Collection<UpstreamCluster> clusters() {
    return clusters.values();
  }

  /**
   * Makes {@code next} this loop's clusters for calls that start from now on; calls running keep
   * the cluster they have. Returns the clusters replaced.
   */
  public Map<String, UpstreamCluster> replaceClusters(Map<String, UpstreamCluster> next) {
    Map<String, UpstreamCluster> old = clusters;
    clusters = Map.copyOf(next);
    schemas = new SchemaRegistry(loop);
    httpRules = new HttpRuleRegistry(loop);
    return old;
  }

  /** The method schemas this loop learned of {@code cluster}'s backends. */
  ClusterSchemas schemas(UpstreamCluster cluster) {
    return schemas.of(cluster);
  }

  /** The HTTP/JSON rule tables this loop learned of its clusters' backends. */
  HttpRuleRegistry httpRules() {
    return httpRules;
  }

  AccessLog accessLog() {
    return accessLog;
  }

  ProxyMeters meters() {
    return meters;
  }

  /** The meters of {@code route}, or of calls that matched no route when it is {@code null}. */
  RouteMeters routeMeters(Route route) {
    if (route == null) {
      RouteMeters u = unrouted;
      if (u == null) {
        u = meters.route(null);
        unrouted = u;
      }
      return u;
    }
    RouteMeters m = routeMeters.get(route);
    if (m == null) {
      if (routeMeters.size() > 4096) {
        routeMeters.clear(); // routes replaced by many reloads: forget the old ones
      }
      m = meters.route(route.config());
      routeMeters.put(route, m);
    }
    return m;
  }
}
