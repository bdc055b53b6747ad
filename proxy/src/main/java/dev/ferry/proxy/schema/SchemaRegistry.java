package dev.ferry.proxy.schema;

import dev.ferry.proxy.upstream.UpstreamCluster;
import io.netty.channel.EventLoop;
import java.util.HashMap;
import java.util.Map;

/**
 * The schemas one event loop learned, per cluster. A reload replaces the whole registry, so what
 * the old clusters' backends said is forgotten with them. Used only on its loop.
 */
public final class SchemaRegistry {
  private final EventLoop loop;
  private final Map<String, ClusterSchemas> byCluster = new HashMap<>();

  public SchemaRegistry(EventLoop loop) {
    this.loop = loop;
  }

  /** The schemas of {@code cluster}, asked of it on this registry's loop. */
  public ClusterSchemas of(UpstreamCluster cluster) {
    return byCluster.computeIfAbsent(cluster.name(), n -> new ClusterSchemas(cluster, loop));
  }
}
