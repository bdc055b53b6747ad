package dev.ferry.proxy.transcode;

import dev.ferry.proxy.upstream.UpstreamCluster;
import io.netty.channel.EventLoop;
import java.util.HashMap;
import java.util.Map;

/**
 * The HTTP rule tables one event loop learned, per cluster. A reload replaces the whole registry
 * (with the clusters), so the rules of the old backends are forgotten with them. Used only on its
 * loop.
 */
public final class HttpRuleRegistry {
  private final EventLoop loop;
  private final Map<String, ClusterRules> byCluster = new HashMap<>();

  public HttpRuleRegistry(EventLoop loop) {
    this.loop = loop;
  }

  ClusterRules of(UpstreamCluster cluster) {
    return byCluster.computeIfAbsent(cluster.name(), n -> new ClusterRules(cluster, loop));
  }
}
