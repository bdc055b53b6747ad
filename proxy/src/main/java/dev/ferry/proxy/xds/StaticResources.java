package dev.ferry.proxy.xds;

import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.reload.ResourceVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The file's own listeners and clusters beside the control plane's, as Envoy's static resources
 * beside its dynamic ones: the static ones always stay, an xDS resource that would replace one is
 * refused, and the running configuration is the two together.
 */
final class StaticResources {
  private static final String SOURCE_FILE = "file";

  private final ProxyConfig base;

  /**
   * @param base the file's configuration: its listeners and clusters (none when the bootstrap comes
   *     from a flag), access log, drain timeout and admin listener
   */
  StaticResources(ProxyConfig base) {
    this.base = base;
  }

  /**
   * Refuses an xDS listener on a static listener's address (port 0 aside: each is its own port).
   */
  void checkListener(String name, String host, int port) throws XdsRejection {
    for (ListenerConfig s : base.listeners()) {
      if (s.socket() == null && s.port() != 0 && s.port() == port && s.host().equals(host)) {
        throw new XdsRejection(
            XdsRejection.name("Listener", name),
            "address",
            s.address() + " is a static listener's (static resources cannot be replaced by xDS)");
      }
    }
  }

  /** Refuses an xDS cluster with a static cluster's name. */
  void checkCluster(String name) throws XdsRejection {
    if (base.clusters().containsKey(name)) {
      throw new XdsRejection(
          XdsRejection.name("Cluster", name),
          "name",
          "a static cluster has this name (static resources cannot be replaced by xDS)");
    }
  }

  /** Whether a route of the control plane's may name {@code cluster} as a static one. */
  boolean hasCluster(String cluster) {
    return base.clusters().containsKey(cluster);
  }

  /** The running configuration: the static listeners first, so that they keep their place. */
  ProxyConfig with(List<ListenerConfig> listeners, Map<String, ClusterConfig> clusters) {
    List<ListenerConfig> allListeners = new ArrayList<>(base.listeners());
    allListeners.addAll(listeners);
    Map<String, ClusterConfig> allClusters = new LinkedHashMap<>(base.clusters());
    allClusters.putAll(clusters);
    return new ProxyConfig(
        List.copyOf(allListeners),
        Collections.unmodifiableMap(allClusters),
        base.accessLog(),
        base.drainTimeout(),
        base.admin(),
        base.xds());
  }

  /** The static resources as {@code /config} lists them beside the xDS ones. */
  List<ResourceVersion> versions() {
    List<ResourceVersion> out = new ArrayList<>();
    for (ListenerConfig l : base.listeners()) {
      out.add(new ResourceVersion("listener", l.address(), SOURCE_FILE, null, null));
    }
    for (String c : base.clusters().keySet()) {
      out.add(new ResourceVersion("cluster", c, SOURCE_FILE, null, null));
    }
    return out;
  }
}
