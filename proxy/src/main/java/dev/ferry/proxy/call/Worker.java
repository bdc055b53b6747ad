package dev.ferry.proxy.call;

import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.upstream.UpstreamCluster;
import io.netty.channel.EventLoop;
import java.util.Collection;
import java.util.Map;

/**
 * What the calls of one event loop share, and nothing else does: the loop's upstream pools and
 * balancers. Used only on that loop, so it needs no locks.
 */
public final class Worker {
  private final EventLoop loop;
  private final Map<String, UpstreamCluster> clusters;
  private final AccessLog accessLog;
  private final ProxyMetrics metrics;

  public Worker(
      EventLoop loop,
      Map<String, UpstreamCluster> clusters,
      AccessLog accessLog,
      ProxyMetrics metrics) {
    this.loop = loop;
    this.clusters = Map.copyOf(clusters);
    this.accessLog = accessLog;
    this.metrics = metrics;
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

  AccessLog accessLog() {
    return accessLog;
  }

  ProxyMetrics metrics() {
    return metrics;
  }
}
