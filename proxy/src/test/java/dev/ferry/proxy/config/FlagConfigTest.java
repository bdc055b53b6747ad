package dev.ferry.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.proxy.config.AccessLogConfig.Format;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.ClusterConfig.Protocol;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlagConfigTest {

  static FlagConfig routes(String... routes) {
    return new FlagConfig(List.of(), List.of(routes), null, null, null, null);
  }

  static List<String> errors(FlagConfig flags) {
    return catchThrowableOfType(ConfigException.class, flags::toProxyConfig).errors().stream()
        .map(ConfigError::toString)
        .toList();
  }

  @Test
  void articleSetup_becomesThreeRoutesAndClusters() throws Exception {
    ProxyConfig c =
        new FlagConfig(
                List.of("127.0.0.1:8080"),
                List.of(
                    "helloworld.Greeter=127.0.0.1:50051",
                    "helloworld.Daininki=127.0.0.1:50052,127.0.0.1:50053",
                    "/=http://127.0.0.1:8000"),
                null,
                null,
                null,
                null)
            .toProxyConfig();

    assertThat(c.listeners()).hasSize(1);
    ListenerConfig l = c.listeners().get(0);
    assertThat(l.host()).isEqualTo("127.0.0.1");
    assertThat(l.port()).isEqualTo(8080);
    assertThat(l.idleTimeout()).isEqualTo(ConfigDefaults.IDLE_TIMEOUT);
    assertThat(l.routes())
        .extracting(RouteConfig::cluster)
        .containsExactly("helloworld.Greeter", "helloworld.Daininki", "root");
    assertThat(l.routes().get(0).match())
        .isEqualTo(new RouteMatch("helloworld.Greeter", null, null, null, List.of()));
    assertThat(l.routes().get(2).match())
        .isEqualTo(new RouteMatch(null, null, "/", null, List.of()));

    ClusterConfig daininki = c.clusters().get("helloworld.Daininki");
    assertThat(daininki.endpoints())
        .containsExactly(Endpoint.tcp("127.0.0.1", 50052, 1), Endpoint.tcp("127.0.0.1", 50053, 1));
    assertThat(daininki.protocol()).isEqualTo(Protocol.H2);
    assertThat(daininki.balance()).isEqualTo(BalancePolicy.ROUND_ROBIN);
    ClusterConfig rest = c.clusters().get("root");
    assertThat(rest.protocol()).isEqualTo(Protocol.HTTP1);
    assertThat(rest.endpoints()).containsExactly(Endpoint.tcp("127.0.0.1", 8000, 1));
    assertThat(c.accessLog()).isNull();
    assertThat(c.drainTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void noListen_listensOnLoopback8080() throws Exception {
    ProxyConfig c = routes("helloworld.Greeter=127.0.0.1:50051").toProxyConfig();
    assertThat(c.listeners().get(0).host()).isEqualTo("127.0.0.1");
    assertThat(c.listeners().get(0).port()).isEqualTo(8080);
  }

  @Test
  void routes_areOrderedMostSpecificFirst() throws Exception {
    ProxyConfig c =
        routes(
                "/=http://127.0.0.1:8000",
                "/api/v1/=http://127.0.0.1:8001",
                "helloworld.Greeter=127.0.0.1:50051",
                "helloworld.Greeter/SayHello=127.0.0.1:50052")
            .toProxyConfig();
    assertThat(c.listeners().get(0).routes())
        .extracting(RouteConfig::cluster)
        .containsExactly("helloworld.Greeter/SayHello", "helloworld.Greeter", "api-v1", "root");
  }

  @Test
  void balanceAccessLogAndDrain_applyToEveryCluster() throws Exception {
    ProxyConfig c =
        new FlagConfig(
                List.of("127.0.0.1:0", "[::1]:0"),
                List.of("a.A=127.0.0.1:1", "b.B=127.0.0.1:2"),
                "ring_hash:X-User-Id",
                "-",
                "json",
                "3s")
            .toProxyConfig();
    assertThat(c.listeners()).extracting(ListenerConfig::host).containsExactly("127.0.0.1", "::1");
    assertThat(c.clusters().values())
        .allSatisfy(
            cl -> {
              assertThat(cl.balance()).isEqualTo(BalancePolicy.RING_HASH);
              assertThat(cl.hashHeader()).isEqualTo("x-user-id");
            });
    assertThat(c.accessLog()).isEqualTo(new AccessLogConfig("-", Format.JSON));
    assertThat(c.drainTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void badFlags_areAllReportedNamingFlagAndValue() {
    assertThat(
            errors(
                new FlagConfig(
                    List.of("8080"),
                    List.of(
                        "helloworld.Greeter",
                        "helloworld.Daininki=127.0.0.1:50052,",
                        "/=http://127.0.0.1:8000,127.0.0.1:8001",
                        "a b=127.0.0.1:1",
                        "x.Y=127.0.0.1:70000"),
                    "fastest",
                    null,
                    "xml",
                    "10")))
        .containsExactly(
            "--balance fastest: unknown balance policy; expected one of: round_robin,"
                + " weighted_round_robin, least_request, random, ring_hash (ring_hash as"
                + " ring_hash:HEADER)",
            "--route helloworld.Greeter: expected SERVICE=ENDPOINTS or /PREFIX=ENDPOINTS, such as"
                + " helloworld.Greeter=127.0.0.1:50051",
            "--route helloworld.Daininki=127.0.0.1:50052,: an endpoint is missing; expected"
                + " host:port after '=' and between commas",
            "--route /=http://127.0.0.1:8000,127.0.0.1:8001: mixes http:// (HTTP/1.1) and plain"
                + " (HTTP/2) endpoints; a cluster speaks one protocol",
            "--route a b=127.0.0.1:1: 'a b' is not a gRPC service (helloworld.Greeter), method"
                + " (helloworld.Greeter/SayHello) or path prefix (/api/)",
            "--route x.Y=127.0.0.1:70000: endpoint '127.0.0.1:70000': port 70000 is out of range"
                + " (expected 1 to 65535), in '127.0.0.1:70000'",
            "--listen 8080: expected host:port such as 127.0.0.1:8080 or [::1]:8080, got '8080' (a"
                + " host is needed: 127.0.0.1:8080?)",
            "--access-log-format xml: expected text or json",
            "--drain-timeout 10: expected a duration such as 5s, 250ms, 1m or 1h, got '10' (a unit"
                + " is needed: 10s?)");
  }

  @Test
  void sameRouteTwiceOrSameListenTwice_isRefused() {
    assertThat(
            errors(
                new FlagConfig(
                    List.of("127.0.0.1:8080", "127.0.0.1:8080"),
                    List.of("a.A=127.0.0.1:1", "a.A=127.0.0.1:2"),
                    null,
                    null,
                    null,
                    null)))
        .containsExactly(
            "--route a.A=127.0.0.1:2: a route for a.A is given twice",
            "--listen 127.0.0.1:8080: listener address 127.0.0.1:8080 is given twice");
  }

  @Test
  void ringHashWithoutHeader_saysHowToGiveOne() {
    assertThat(
            errors(
                new FlagConfig(
                    List.of(), List.of("a.A=127.0.0.1:1"), "ring_hash", null, null, null)))
        .containsExactly(
            "--balance ring_hash: ring_hash needs the header whose value is hashed, such as"
                + " ring_hash:x-user-id");
  }

  @Test
  void noRoute_isAnError() {
    assertThat(errors(routes()))
        .containsExactly(
            "--route: at least one --route is needed: SERVICE=ENDPOINTS or"
                + " /PREFIX=ENDPOINTS, such as helloworld.Greeter=127.0.0.1:50051");
  }
}
