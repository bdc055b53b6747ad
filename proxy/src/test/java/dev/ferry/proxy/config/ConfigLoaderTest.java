package dev.ferry.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.proxy.config.AccessLogConfig.Format;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.ClusterConfig.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  static final String FULL =
      """
      listeners:
        - address: 0.0.0.0:8080
          idle_timeout: 5m
          routes:
            - match: { service: helloworld.Greeter }
              cluster: greeter
            - match: { service: helloworld.Daininki }
              cluster: daininki
              timeout: { max: 30s }
            - match: { prefix: /, headers: [ { name: X-Env, exact: canary }, { name: x-v, regex: "v[0-9]+" } ] }
              request_headers: { set: { x-a: b }, add: { X-Trace: "1" }, remove: [x-drop] }
              response_headers: { remove: [server] }
              cluster: rest
            - match: { method: helloworld.Greeter/SayHello, authority: API.local }
              direct_reply: { grpc_status: 12, http_status: 404, message: "gone" }
      clusters:
        greeter:  { endpoints: [127.0.0.1:50051] }
        daininki: { endpoints: [127.0.0.1:50052, "[::1]:50053"], balance: least_request }
        weighted: { endpoints: [ { address: 127.0.0.1:50052, weight: 3 }, 127.0.0.1:50053 ], balance: weighted_round_robin }
        sticky:   { endpoints: [backend.local:50054], balance: { ring_hash: { header: X-User-Id } } }
        rest:     { endpoints: [127.0.0.1:8000], protocol: http1, connect_timeout: 2s, connect_retries: 2, dns_refresh: 1m30s }
      access_log: { path: "-", format: json }
      drain_timeout: 15s
      """;

  @Test
  void fullExample_loadsIntoTheModel() throws Exception {
    ProxyConfig c = ConfigLoader.parse("ferry.yaml", FULL);

    assertThat(c.listeners()).hasSize(1);
    ListenerConfig l = c.listeners().get(0);
    assertThat(l.host()).isEqualTo("0.0.0.0");
    assertThat(l.port()).isEqualTo(8080);
    assertThat(l.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(l.routes()).hasSize(4);

    RouteConfig greeter = l.routes().get(0);
    assertThat(greeter.match())
        .isEqualTo(new RouteMatch("helloworld.Greeter", null, null, null, List.of()));
    assertThat(greeter.cluster()).isEqualTo("greeter");
    assertThat(greeter.directReply()).isNull();
    assertThat(greeter.requestHeaders()).isEqualTo(HeaderRules.NONE);
    assertThat(greeter.maxTimeout()).isNull();
    assertThat(l.routes().get(1).maxTimeout()).isEqualTo(Duration.ofSeconds(30));

    RouteConfig rest = l.routes().get(2);
    assertThat(rest.match().prefix()).isEqualTo("/");
    assertThat(rest.match().headers()).hasSize(2);
    HeaderMatch env = rest.match().headers().get(0);
    assertThat(env.name()).isEqualTo("x-env");
    assertThat(env.exact()).isEqualTo("canary");
    assertThat(rest.match().headers().get(1).regex().pattern()).isEqualTo("v[0-9]+");
    assertThat(rest.requestHeaders())
        .isEqualTo(new HeaderRules(Map.of("x-a", "b"), Map.of("x-trace", "1"), List.of("x-drop")));
    assertThat(rest.responseHeaders())
        .isEqualTo(new HeaderRules(Map.of(), Map.of(), List.of("server")));

    RouteConfig direct = l.routes().get(3);
    assertThat(direct.cluster()).isNull();
    assertThat(direct.match().method()).isEqualTo("helloworld.Greeter/SayHello");
    assertThat(direct.match().authority()).isEqualTo("api.local");
    assertThat(direct.directReply()).isEqualTo(new DirectReply(12, 404, "gone"));

    assertThat(c.clusters()).containsOnlyKeys("greeter", "daininki", "weighted", "sticky", "rest");
    ClusterConfig g = c.clusters().get("greeter");
    assertThat(g)
        .isEqualTo(
            new ClusterConfig(
                "greeter",
                List.of(Endpoint.tcp("127.0.0.1", 50051, 1)),
                Protocol.H2,
                BalancePolicy.ROUND_ROBIN,
                null,
                ConfigDefaults.CONNECT_TIMEOUT,
                ConfigDefaults.CONNECT_RETRIES,
                ConfigDefaults.DNS_REFRESH,
                null,
                null,
                null,
                0,
                null));
    ClusterConfig d = c.clusters().get("daininki");
    assertThat(d.balance()).isEqualTo(BalancePolicy.LEAST_REQUEST);
    assertThat(d.endpoints())
        .extracting(Endpoint::toString)
        .containsExactly("127.0.0.1:50052", "[::1]:50053");
    assertThat(d.endpoints().get(1).host()).isEqualTo("::1");
    assertThat(c.clusters().get("weighted").endpoints())
        .containsExactly(Endpoint.tcp("127.0.0.1", 50052, 3), Endpoint.tcp("127.0.0.1", 50053, 1));
    ClusterConfig sticky = c.clusters().get("sticky");
    assertThat(sticky.balance()).isEqualTo(BalancePolicy.RING_HASH);
    assertThat(sticky.hashHeader()).isEqualTo("x-user-id");
    ClusterConfig r = c.clusters().get("rest");
    assertThat(r.protocol()).isEqualTo(Protocol.HTTP1);
    assertThat(r.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(r.connectRetries()).isEqualTo(2);
    assertThat(r.dnsRefresh()).isEqualTo(Duration.ofSeconds(90));

    assertThat(c.accessLog()).isEqualTo(new AccessLogConfig("-", Format.JSON));
    assertThat(c.drainTimeout()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void leftOut_getsTheDocumentedDefaults() throws Exception {
    ProxyConfig c =
        ConfigLoader.parse(
            "ferry.yaml",
            """
            listeners:
              - address: 127.0.0.1:0
                routes: [ { match: {}, cluster: a } ]
            clusters:
              a: { endpoints: [localhost:1] }
            """);
    assertThat(c.accessLog()).isNull();
    assertThat(c.drainTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.listeners().get(0).idleTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(c.listeners().get(0).routes().get(0).match())
        .isEqualTo(new RouteMatch(null, null, null, null, List.of()));
    ClusterConfig a = c.clusters().get("a");
    assertThat(a.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(a.connectRetries()).isEqualTo(1);
    assertThat(a.dnsRefresh()).isEqualTo(Duration.ofSeconds(30));
    assertThat(a.protocol()).isEqualTo(Protocol.H2);
    assertThat(a.balance()).isEqualTo(BalancePolicy.ROUND_ROBIN);
  }

  @Test
  void directReply_derivesTheMissingStatusFromTheOther() throws Exception {
    ProxyConfig c =
        ConfigLoader.parse(
            "ferry.yaml",
            """
            listeners:
              - address: 127.0.0.1:0
                routes:
                  - { match: { prefix: /a }, direct_reply: { grpc_status: unavailable } }
                  - { match: { prefix: /b }, direct_reply: { http_status: 404 } }
            """);
    List<RouteConfig> routes = c.listeners().get(0).routes();
    assertThat(routes.get(0).directReply()).isEqualTo(new DirectReply(14, 503, ""));
    assertThat(routes.get(1).directReply()).isEqualTo(new DirectReply(12, 404, ""));
  }

  @Test
  void examplesFerryYaml_loads() throws Exception {
    Path example = Path.of("..", "examples", "ferry.yaml");
    assertThat(Files.exists(example)).as("examples/ferry.yaml from proxy/").isTrue();
    ProxyConfig c = ConfigLoader.load(example);
    assertThat(c.listeners()).hasSize(1);
    assertThat(c.listeners().get(0).port()).isEqualTo(8080);
    assertThat(c.listeners().get(0).routes())
        .extracting(RouteConfig::cluster)
        .containsExactly("greeter", "daininki", "rest");
    assertThat(c.clusters().get("daininki").endpoints())
        .extracting(Endpoint::port)
        .containsExactly(50052, 50053);
    assertThat(c.clusters().get("rest").protocol()).isEqualTo(Protocol.HTTP1);
  }

  @Test
  void everyErrorOfAFile_isReportedInFileOrder() {
    assertThat(
            errors(
                """
                listeners:
                  - address: 127.0.0.1:99999
                    routes:
                      - match: { service: helloworld.Greeter }
                        cluster: greeter
                      - match: { service: helloworld.Daininki }
                        cluster: dainiki
                clusters:
                  greeter: { endpoints: [127.0.0.1:50051], conect_timeout: 2s }
                  daininki: { endpoints: [127.0.0.1:50052], balance: round_robbin }
                """))
        .containsExactly(
            "ferry.yaml:2:5: listeners[0].address: port 99999 is out of range (expected 0 to 65535), in '127.0.0.1:99999'",
            "ferry.yaml:7:9: listeners[0].routes[1].cluster: no cluster named 'dainiki' (did you mean 'daininki'?)",
            "ferry.yaml:9:44: clusters.greeter.conect_timeout: unknown key (did you mean 'connect_timeout'?)",
            "ferry.yaml:10:45: clusters.daininki.balance: unknown balance policy 'round_robbin' (did you mean 'round_robin'?); expected one of: round_robin, weighted_round_robin, least_request, random, ring_hash");
  }

  static List<String> errors(String yaml) {
    ConfigException e =
        (ConfigException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> ConfigLoader.parse("ferry.yaml", yaml));
    assertThat(e).as("expected the config to be refused").isNotNull();
    return e.errors().stream().map(ConfigError::toString).toList();
  }

  static String error(String yaml) {
    List<String> all = errors(yaml);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @Test
  void invalidYaml_isOneErrorWithItsPosition() {
    assertThatThrownBy(() -> ConfigLoader.parse("ferry.yaml", "listeners: [\n  - a: b\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("ferry.yaml:");
  }
}
