package dev.ferry.proxy.e2e;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;

/**
 * The article's topology as Envoy resources: one listener whose routes (by RDS) send
 * helloworld.Greeter to the greeter cluster and helloworld.Daininki to the daininki cluster, both
 * EDS clusters speaking HTTP/2.
 */
final class XdsResources {
  static final String LISTENER = "ingress";
  static final String ROUTES = "local_routes";

  private XdsResources() {}

  /** One endpoint of a load assignment. */
  record Ep(int port, int weight, HealthStatus health) {
    static Ep healthy(int port) {
      return new Ep(port, 1, HealthStatus.HEALTHY);
    }
  }

  static Snapshot snapshot(
      String version, List<Cluster> clusters, List<ClusterLoadAssignment> eds) {
    return snapshot(version, clusters, eds, List.of(listener()));
  }

  static Snapshot snapshot(
      String version,
      List<Cluster> clusters,
      List<ClusterLoadAssignment> eds,
      List<Listener> listeners) {
    return Snapshot.create(clusters, eds, listeners, List.of(routes()), List.of(), version);
  }

  static Snapshot article(String version, int greeter, List<Ep> daininki) {
    return snapshot(
        version,
        List.of(cluster("greeter"), cluster("daininki")),
        List.of(
            endpoints("greeter", List.of(Ep.healthy(greeter))), endpoints("daininki", daininki)));
  }

  static Listener listener() {
    return listener(LISTENER, "127.0.0.1");
  }

  /** A listener named {@code name} on {@code host}, port 0, taking its routes by RDS. */
  static Listener listener(String name, String host) {
    HttpConnectionManager hcm =
        HttpConnectionManager.newBuilder()
            .setStatPrefix("ingress")
            .setRds(
                Rds.newBuilder()
                    .setRouteConfigName(ROUTES)
                    .setConfigSource(
                        ConfigSource.newBuilder()
                            .setAds(AggregatedConfigSource.getDefaultInstance())))
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.router")
                    .setTypedConfig(Any.pack(Router.getDefaultInstance())))
            .build();
    return Listener.newBuilder()
        .setName(name)
        .setAddress(address(host, 0))
        .addFilterChains(
            FilterChain.newBuilder()
                .addFilters(
                    Filter.newBuilder()
                        .setName("envoy.filters.network.http_connection_manager")
                        .setTypedConfig(Any.pack(hcm))))
        .build();
  }

  static RouteConfiguration routes() {
    return RouteConfiguration.newBuilder()
        .setName(ROUTES)
        .addVirtualHosts(
            VirtualHost.newBuilder()
                .setName("all")
                .addDomains("*")
                .addRoutes(prefixRoute("/helloworld.Greeter/", "greeter"))
                .addRoutes(prefixRoute("/helloworld.Daininki/", "daininki")))
        .build();
  }

  private static Route prefixRoute(String prefix, String cluster) {
    return Route.newBuilder()
        .setMatch(RouteMatch.newBuilder().setPrefix(prefix))
        .setRoute(
            RouteAction.newBuilder()
                .setCluster(cluster)
                .setTimeout(Duration.newBuilder().setSeconds(30)))
        .build();
  }

  static Cluster cluster(String name) {
    HttpProtocolOptions h2 =
        HttpProtocolOptions.newBuilder()
            .setExplicitHttpConfig(
                HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                    .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
            .build();
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(
            Cluster.EdsClusterConfig.newBuilder()
                .setEdsConfig(
                    ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())))
        .setConnectTimeout(Duration.newBuilder().setSeconds(2))
        .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
        .putTypedExtensionProtocolOptions(
            "envoy.extensions.upstreams.http.v3.HttpProtocolOptions", Any.pack(h2))
        .build();
  }

  static ClusterLoadAssignment endpoints(String cluster, List<Ep> eps) {
    LocalityLbEndpoints.Builder l = LocalityLbEndpoints.newBuilder();
    for (Ep e : eps) {
      l.addLbEndpoints(
          LbEndpoint.newBuilder()
              .setEndpoint(
                  io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                      .setAddress(address(e.port())))
              .setHealthStatus(e.health())
              .setLoadBalancingWeight(UInt32Value.of(e.weight())));
    }
    return ClusterLoadAssignment.newBuilder().setClusterName(cluster).addEndpoints(l).build();
  }

  private static Address address(int port) {
    return address("127.0.0.1", port);
  }

  private static Address address(String host, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port))
        .build();
  }
}
