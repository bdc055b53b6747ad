package dev.ferry.proxy.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the whole document: clusters first (so that routes can be checked against them as they are
 * read), then listeners, the access log, the drain timeout, the admin listener and the control
 * plane whose resources are added.
 */
final class ProxyConfigReader {
  private ProxyConfigReader() {}

  /** The configuration, or {@code null} when anything was reported. */
  static ProxyConfig read(YamlValue root) {
    YamlMapping m =
        root.mapping("listeners", "clusters", "access_log", "drain_timeout", "admin", "xds");
    if (m == null) {
      return null;
    }
    Map<String, ClusterConfig> clusters = new LinkedHashMap<>();
    boolean ok = true;
    if (m.has("clusters")) {
      Map<String, YamlValue> entries =
          m.get("clusters")
              .entries("cluster names, such as greeter: { endpoints: [127.0.0.1:50051] }");
      if (entries == null) {
        ok = false;
      } else {
        for (var e : entries.entrySet()) {
          ClusterConfig c = ClusterReader.read(e.getKey(), e.getValue());
          ok &= c != null;
          // A cluster with errors still counts as defined, so routes naming it get no second error.
          clusters.put(e.getKey(), c);
        }
      }
    }
    List<ListenerConfig> listeners =
        listeners(m.require("listeners", "a list of listeners"), clusters);
    AccessLogConfig accessLog = null;
    if (m.has("access_log")) {
      accessLog = AccessLogReader.read(m.get("access_log"));
      ok &= accessLog != null;
    }
    Duration drain = m.duration("drain_timeout", true, ConfigDefaults.DRAIN_TIMEOUT);
    AdminConfig admin = null;
    if (m.has("admin")) {
      admin = AdminReader.read(m.get("admin"));
      ok &= admin != null;
    }
    XdsConfig xds = null;
    if (m.has("xds")) {
      xds = XdsReader.read(m.get("xds"));
      ok &= xds != null;
    }
    if (!ok || listeners == null || drain == null) {
      return null;
    }
    // Keeps the file's order for whatever lists the clusters.
    return new ProxyConfig(
        listeners, Collections.unmodifiableMap(clusters), accessLog, drain, admin, xds);
  }

  private static List<ListenerConfig> listeners(YamlValue v, Map<String, ClusterConfig> clusters) {
    if (v == null) {
      return null;
    }
    List<YamlValue> items =
        v.list("listeners, such as - { address: 127.0.0.1:8080, routes: [...] }");
    if (items == null) {
      return null;
    }
    if (items.isEmpty()) {
      v.error("expected at least one listener");
      return null;
    }
    List<ListenerConfig> listeners = new ArrayList<>();
    ListenerAddresses addresses = new ListenerAddresses();
    boolean ok = true;
    for (YamlValue item : items) {
      ListenerConfig l = ListenerReader.read(item, clusters.keySet(), addresses);
      ok &= l != null;
      if (l != null) {
        listeners.add(l);
      }
    }
    return ok ? List.copyOf(listeners) : null;
  }
}
