package dev.ferry.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.ClusterConfig.Protocol;
import dev.ferry.proxy.config.Endpoint;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.status.GrpcCode;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Envoy resources into ferry's model: what maps, and what is refused with a message that names the
 * resource, the field and why (the NACK's error_detail).
 */
class TranslatorsTest {
  private static Route.Builder route() {
    return Route.newBuilder()
        .setMatch(RouteMatch.newBuilder().setPrefix("/helloworld.Greeter/"))
        .setRoute(RouteAction.newBuilder().setCluster("greeter"));
  }

  private static RouteConfiguration routes(Route.Builder r, String... domains) {
    return RouteConfiguration.newBuilder()
        .setName("rc")
        .addVirtualHosts(VirtualHost.newBuilder().addAllDomains(List.of(domains)).addRoutes(r))
        .build();
  }

  private static String routeRejection(UnaryOperator<Route.Builder> change) {
    try {
      RouteTranslator.translate(routes(change.apply(route()), "*"), "RouteConfiguration \"rc\"");
      return "accepted";
    } catch (XdsRejection e) {
      return e.getMessage();
    }
  }

  @Test
  void routes_mapMatchesTimeoutsAndRetries() throws Exception {
    Route.Builder r =
        Route.newBuilder()
            .setMatch(
                RouteMatch.newBuilder()
                    .setPath("/helloworld.Greeter/SayHello")
                    .addHeaders(
                        HeaderMatcher.newBuilder().setName("X-User").setPrefixMatch("vip-")))
            .setRoute(
                RouteAction.newBuilder()
                    .setCluster("greeter")
                    .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(30))
                    .setMaxStreamDuration(
                        RouteAction.MaxStreamDuration.newBuilder()
                            .setGrpcTimeoutHeaderMax(
                                com.google.protobuf.Duration.newBuilder().setSeconds(5)))
                    .setRetryPolicy(
                        RetryPolicy.newBuilder()
                            .setRetryOn("unavailable,connect-failure")
                            .setNumRetries(UInt32Value.of(2))));
    List<RouteConfig> out =
        RouteTranslator.translate(routes(r, "api.example.com:8443", "*"), "rc").routes();

    assertThat(out).hasSize(2);
    RouteConfig first = out.get(0);
    assertThat(first.match().method()).isEqualTo("/helloworld.Greeter/SayHello");
    assertThat(first.match().authority()).isEqualTo("api.example.com");
    assertThat(first.match().headers().get(0).name()).isEqualTo("x-user");
    assertThat(first.match().headers().get(0).prefix()).isEqualTo("vip-");
    assertThat(first.maxTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(first.retry().on()).containsExactly(GrpcCode.UNAVAILABLE.value());
    assertThat(first.retry().maxAttempts()).isEqualTo(3);
    assertThat(out.get(1).match().authority()).isNull();
  }

  @Test
  void routesFerryCannotExpress_areRefusedNamingTheField() {
    assertThat(
            routeRejection(
                r ->
                    r.setMatch(
                        RouteMatch.newBuilder()
                            .setSafeRegex(RegexMatcher.newBuilder().setRegex("/.*")))))
        .isEqualTo(
            "RouteConfiguration \"rc\": virtual_hosts[0].routes[0].match.safe_regex: not"
                + " supported (expected prefix or path)");
    assertThat(
            routeRejection(
                r ->
                    r.setRoute(
                        RouteAction.newBuilder()
                            .setWeightedClusters(
                                WeightedCluster.newBuilder()
                                    .addClusters(
                                        WeightedCluster.ClusterWeight.newBuilder()
                                            .setName("a")
                                            .setWeight(UInt32Value.of(50)))
                                    .addClusters(
                                        WeightedCluster.ClusterWeight.newBuilder()
                                            .setName("b")
                                            .setWeight(UInt32Value.of(50)))))))
        .startsWith(
            "RouteConfiguration \"rc\": virtual_hosts[0].routes[0].route.weighted_clusters:"
                + " splitting calls over several clusters not supported");
    assertThat(
            routeRejection(
                r ->
                    r.setRoute(
                        RouteAction.newBuilder()
                            .setCluster("greeter")
                            .setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("5xx")))))
        .startsWith(
            "RouteConfiguration \"rc\": virtual_hosts[0].routes[0].route.retry_policy.retry_on:"
                + " '5xx' not supported");
    assertThat(
            routeRejection(
                r ->
                    r.setRoute(
                        RouteAction.newBuilder().setCluster("greeter").setPrefixRewrite("/v2/"))))
        .isEqualTo(
            "RouteConfiguration \"rc\": virtual_hosts[0].routes[0].route.prefix_rewrite: path"
                + " rewriting not supported");
    assertThatThrownBy(
            () ->
                RouteTranslator.translate(
                    routes(route(), "*.example.com"), "RouteConfiguration \"rc\""))
        .hasMessage(
            "RouteConfiguration \"rc\": virtual_hosts[0].domains[0]: wildcard domain"
                + " '*.example.com' not supported (expected * or a host)");
  }

  private static Cluster.Builder edsCluster() {
    return Cluster.newBuilder()
        .setName("daininki")
        .setType(Cluster.DiscoveryType.EDS)
        .setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST);
  }

  @Test
  void clusters_mapBalancingAndProtocol_andRefuseWhatFerryLacks() throws Exception {
    @SuppressWarnings("deprecation")
    Cluster h2 =
        edsCluster()
            .setHttp2ProtocolOptions(
                io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions.getDefaultInstance())
            .build();
    ClusterTranslator.XdsCluster c = ClusterTranslator.translate(h2);
    assertThat(c.edsName()).isEqualTo("daininki");
    assertThat(c.template().balance()).isEqualTo(BalancePolicy.LEAST_REQUEST);
    assertThat(c.template().protocol()).isEqualTo(Protocol.H2);
    assertThat(ClusterTranslator.translate(edsCluster().build()).template().protocol())
        .isEqualTo(Protocol.HTTP1);

    assertThatThrownBy(
            () ->
                ClusterTranslator.translate(
                    edsCluster().setType(Cluster.DiscoveryType.ORIGINAL_DST).build()))
        .hasMessage(
            "Cluster \"daininki\": type: ORIGINAL_DST not supported (expected EDS, STATIC,"
                + " STRICT_DNS or LOGICAL_DNS)");
    assertThatThrownBy(
            () ->
                ClusterTranslator.translate(
                    edsCluster().setLbPolicy(Cluster.LbPolicy.MAGLEV).build()))
        .hasMessageStartingWith("Cluster \"daininki\": lb_policy: MAGLEV not supported");
  }

  private static LbEndpoint.Builder endpoint(int port, HealthStatus health, int weight) {
    return LbEndpoint.newBuilder()
        .setEndpoint(
            io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                .setAddress(
                    Address.newBuilder()
                        .setSocketAddress(
                            SocketAddress.newBuilder().setAddress("127.0.0.1").setPortValue(port))))
        .setHealthStatus(health)
        .setLoadBalancingWeight(UInt32Value.of(weight));
  }

  @Test
  void endpoints_keepHealthyAndUnknownWithWeights_andRefuseOtherPriorities() throws Exception {
    ClusterLoadAssignment cla =
        ClusterLoadAssignment.newBuilder()
            .setClusterName("daininki")
            .addEndpoints(
                LocalityLbEndpoints.newBuilder()
                    .addLbEndpoints(endpoint(1, HealthStatus.HEALTHY, 3))
                    .addLbEndpoints(endpoint(2, HealthStatus.UNKNOWN, 1))
                    .addLbEndpoints(endpoint(3, HealthStatus.UNHEALTHY, 1))
                    .addLbEndpoints(endpoint(4, HealthStatus.DRAINING, 1)))
            .build();
    assertThat(EndpointTranslator.translate(cla, "cla", false))
        .containsExactly(Endpoint.tcp("127.0.0.1", 1, 3), Endpoint.tcp("127.0.0.1", 2, 1));

    ClusterLoadAssignment failover =
        cla.toBuilder()
            .addEndpoints(
                LocalityLbEndpoints.newBuilder()
                    .setPriority(1)
                    .addLbEndpoints(endpoint(5, HealthStatus.HEALTHY, 1)))
            .build();
    assertThatThrownBy(
            () ->
                EndpointTranslator.translate(
                    failover, XdsRejection.name("ClusterLoadAssignment", "daininki"), false))
        .hasMessage(
            "ClusterLoadAssignment \"daininki\": endpoints[1].priority: 1 (only priority 0 is"
                + " supported)");
  }

  @Test
  void listener_withAnotherNetworkFilterOrHttpFilter_isRefused() throws Exception {
    HttpConnectionManager hcm =
        HttpConnectionManager.newBuilder()
            .setRds(Rds.newBuilder().setRouteConfigName("rc"))
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.fault")
                    .setTypedConfig(Any.pack(com.google.protobuf.Empty.getDefaultInstance())))
            .build();
    Listener l =
        Listener.newBuilder()
            .setName("ingress")
            .setAddress(
                Address.newBuilder()
                    .setSocketAddress(
                        SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(8080)))
            .addFilterChains(
                FilterChain.newBuilder()
                    .addFilters(Filter.newBuilder().setName("hcm").setTypedConfig(Any.pack(hcm))))
            .build();
    assertThatThrownBy(() -> ListenerTranslator.translate(l))
        .hasMessage(
            "Listener \"ingress\": filter_chains[0].filters[0].typed_config.http_filters[0]:"
                + " 'envoy.filters.http.fault' not supported (expected only the router)");

    HttpConnectionManager routerOnly = hcm.toBuilder().clearHttpFilters().build();
    ListenerTranslator.XdsListener ok =
        ListenerTranslator.translate(
            l.toBuilder()
                .setFilterChains(
                    0,
                    FilterChain.newBuilder()
                        .addFilters(
                            Filter.newBuilder()
                                .setName("hcm")
                                .setTypedConfig(Any.pack(routerOnly))))
                .build());
    assertThat(ok.rdsName()).isEqualTo("rc");
    assertThat(ok.port()).isEqualTo(8080);
  }
}
