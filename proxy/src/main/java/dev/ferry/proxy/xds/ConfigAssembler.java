package dev.ferry.proxy.xds;

import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.Endpoint;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.xds.ClusterTranslator.XdsCluster;
import dev.ferry.proxy.xds.ListenerTranslator.XdsListener;
import dev.ferry.proxy.xds.RouteTranslator.XdsRoutes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts the accepted xDS resources together into one {@link ProxyConfig}: listeners with their
 * routes, every cluster with its endpoints. It is complete only when every name a resource refers
 * to has arrived (Envoy's warming); until then the running configuration stays.
 */
final class ConfigAssembler {
  private ConfigAssembler() {}

  /**
   * What the resources make.
   *
   * @param config the configuration, or {@code null} while {@link #waitingFor} is not empty
   * @param waitingFor the resources referred to but not received yet, such as {@code route
   *     "local_route"}
   * @param routeNames the RDS names the listeners refer to
   * @param endpointNames the EDS names the clusters refer to
   */
  record Assembly(
      ProxyConfig config,
      List<String> waitingFor,
      Set<String> routeNames,
      Set<String> endpointNames) {}

  /**
   * @param statics the file's listeners and clusters, which the xDS ones join, and where the access
   *     log, drain timeout and admin listener come from
   * @throws XdsRejection when resources that are each fine cannot go together, or one would replace
   *     a static one
   */
  static Assembly assemble(XdsState state, StaticResources statics) throws XdsRejection {
    List<String> waiting = new ArrayList<>();
    if (!state.has(ResourceType.LISTENER)) {
      waiting.add("listeners");
    }
    if (!state.has(ResourceType.CLUSTER)) {
      waiting.add("clusters");
    }
    Set<String> routeNames = new LinkedHashSet<>();
    Set<String> endpointNames = new LinkedHashSet<>();
    List<XdsListener> listeners = new ArrayList<>();
    state.of(ResourceType.LISTENER).values().forEach(a -> listeners.add((XdsListener) a.value()));
    // ferry matches listeners across reloads by position: a stable order keeps them in place.
    listeners.sort(Comparator.comparing(XdsListener::name));
    Map<String, String> hashHeaders = new HashMap<>();
    List<ListenerConfig> listenerConfigs = new ArrayList<>();
    Set<String> clusterRefs = new LinkedHashSet<>();
    for (XdsListener l : listeners) {
      statics.checkListener(l.name(), l.host(), l.port());
      XdsRoutes routes = l.inlineRoutes();
      if (l.rdsName() != null) {
        routeNames.add(l.rdsName());
        XdsState.Accepted a = state.of(ResourceType.ROUTE).get(l.rdsName());
        if (a == null) {
          waiting.add("route \"" + l.rdsName() + "\"");
          continue;
        }
        routes = (XdsRoutes) a.value();
      }
      for (RouteConfig r : routes.routes()) {
        clusterRefs.add(r.cluster());
      }
      hashHeaders.putAll(routes.hashHeaders());
      listenerConfigs.add(
          ListenerConfig.builder(l.host(), l.port(), routes.routes()).tls(l.tls()).build());
    }
    Map<String, ClusterConfig> clusters = new LinkedHashMap<>();
    for (XdsState.Accepted a : state.of(ResourceType.CLUSTER).values()) {
      XdsCluster c = (XdsCluster) a.value();
      statics.checkCluster(c.name());
      ClusterConfig config = c.template();
      if (c.edsName() != null) {
        endpointNames.add(c.edsName());
        XdsState.Accepted e = state.of(ResourceType.ENDPOINT).get(c.edsName());
        if (e == null) {
          waiting.add("endpoints \"" + c.edsName() + "\"");
          continue;
        }
        @SuppressWarnings("unchecked")
        List<Endpoint> endpoints = (List<Endpoint>) e.value();
        config = rebuild(config, endpoints);
      }
      if (c.ringHash()) {
        String header = hashHeaders.get(c.name());
        if (header == null) {
          if (clusterRefs.contains(c.name())) {
            throw new XdsRejection(
                XdsRejection.name("Cluster", c.name()),
                "lb_policy",
                "RING_HASH needs the routes to it to hash a header (hash_policy.header)");
          }
        } else {
          config = config.toBuilder().balance(BalancePolicy.RING_HASH, header).build();
        }
      }
      clusters.put(c.name(), config);
    }
    for (String ref : clusterRefs) {
      if (state.has(ResourceType.CLUSTER)
          && !state.of(ResourceType.CLUSTER).containsKey(ref)
          && !statics.hasCluster(ref)) {
        waiting.add("cluster \"" + ref + "\"");
      }
    }
    if (!waiting.isEmpty()) {
      return new Assembly(null, List.copyOf(waiting), routeNames, endpointNames);
    }
    ProxyConfig config = statics.with(listenerConfigs, clusters);
    return new Assembly(config, List.of(), routeNames, endpointNames);
  }

  /** {@code template} with the endpoints EDS gave. */
  private static ClusterConfig rebuild(ClusterConfig template, List<Endpoint> endpoints) {
    return new ClusterConfig(
        template.name(),
        endpoints,
        template.protocol(),
        template.balance(),
        template.hashHeader(),
        template.connectTimeout(),
        template.connectRetries(),
        template.dnsRefresh(),
        template.healthCheck(),
        template.outlierDetection(),
        template.tls(),
        template.maxInFlight(),
        template.schema());
  }
}
