package dev.ferry.proxy.config;

import static dev.ferry.proxy.config.ConfigLoaderTest.error;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The security keys: acl, rate_limit, max_request_message_size, limits, max_in_flight. */
class SecurityConfigReaderTest {
  static String yaml(String listenerExtra, String routeExtra, String clusterExtra) {
    return "listeners:\n  - address: 127.0.0.1:8080\n"
        + listenerExtra
        + "    routes:\n      - match: { prefix: / }\n        cluster: c\n"
        + routeExtra
        + "clusters:\n  c: { endpoints: [127.0.0.1:1]"
        + clusterExtra
        + " }\n";
  }

  private static ProxyConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse("ferry.yaml", yaml);
  }

  @Test
  void routePolicy_readsAclRateLimitAndMessageSize() throws Exception {
    ProxyConfig c =
        parse(
            yaml(
                "",
                "        acl: { allow: [10.0.0.0/8, '::1/128'], deny: [10.1.0.0/16] }\n"
                    + "        rate_limit: { rate: 100/s, burst: 20, key: 'header:X-Api-Key' }\n"
                    + "        max_request_message_size: 4MiB\n",
                ""));

    RoutePolicy p = c.listeners().get(0).routes().get(0).policy();
    assertThat(p.acl().allow()).containsExactly("10.0.0.0/8", "::1/128");
    assertThat(p.acl().deny()).containsExactly("10.1.0.0/16");
    assertThat(p.rateLimit())
        .isEqualTo(
            new RateLimitConfig(
                100, Duration.ofSeconds(1), 20, RateLimitConfig.Key.HEADER, "x-api-key"));
    assertThat(p.maxRequestMessageBytes()).isEqualTo(4 << 20);
  }

  @Test
  void rateLimitWithoutBurst_holdsOnePeriod() throws Exception {
    ProxyConfig c = parse(yaml("", "        rate_limit: { rate: 600/m, key: client_ip }\n", ""));

    RateLimitConfig r = c.listeners().get(0).routes().get(0).policy().rateLimit();
    assertThat(r.burst()).isEqualTo(600);
    assertThat(r.rate()).isEqualTo("600/m");
  }

  @Test
  void routeWithoutPolicy_hasNone() throws Exception {
    assertThat(parse(yaml("", "", "")).listeners().get(0).routes().get(0).policy())
        .isEqualTo(RoutePolicy.NONE);
  }

  @Test
  void listenerLimits_defaultWhereLeftOut() throws Exception {
    ProxyConfig c =
        parse(yaml("    limits: { max_connections: 100, header_read_timeout: 5s }\n", "", ""));

    ListenerLimits l = c.listeners().get(0).limits();
    assertThat(l.maxConnections()).isEqualTo(100);
    assertThat(l.headerReadTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(l.maxConcurrentStreams()).isEqualTo(ListenerLimits.DEFAULTS.maxConcurrentStreams());
  }

  @Test
  void clusterMaxInFlight_isRead() throws Exception {
    assertThat(parse(yaml("", "", ", max_in_flight: 50")).clusters().get("c").maxInFlight())
        .isEqualTo(50);
  }

  @Test
  void badRange_isReportedAtItsLine() {
    assertThat(error(yaml("    acl: { deny: [10.0.0.1/8] }\n", "", "")))
        .isEqualTo(
            "ferry.yaml:3:19: listeners[0].acl.deny[0]: '10.0.0.1/8' has host bits set; the range"
                + " it names is 10.0.0.0/8");
  }

  @Test
  void badRate_saysWhatARateLooksLike() {
    assertThat(error(yaml("", "        rate_limit: { rate: 100/day }\n", "")))
        .endsWith(
            "listeners[0].routes[0].rate_limit.rate: expected a rate such as 100/s, 600/m or"
                + " 1000/h, got '100/day'");
  }

  @Test
  void unknownRateLimitKey_listsTheKinds() {
    assertThat(error(yaml("", "        rate_limit: { rate: 1/s, key: client }\n", "")))
        .endsWith(
            "listeners[0].routes[0].rate_limit.key: expected global, client_ip or header:NAME, got"
                + " 'client'");
  }

  @Test
  void misspeltLimit_getsDidYouMean() {
    assertThat(error(yaml("    limits: { max_conections: 5 }\n", "", "")))
        .endsWith(
            "listeners[0].limits.max_conections: unknown key (did you mean 'max_connections'?)");
  }

  @Test
  void subjectRulesOnAListenerWithoutClientCertificates_areAnError() {
    assertThat(error(yaml("    acl: { client_subjects: ['CN=a'] }\n", "", "")))
        .endsWith(
            "listeners[0].acl: client_subjects needs tls with client_ca: only then do clients show one");
  }

  @Test
  void emptyAcl_isAnError() {
    assertThat(error(yaml("", "        acl: {}\n", "")))
        .endsWith(
            "listeners[0].routes[0].acl: expected at least one of allow, deny or client_subjects");
  }

  @Test
  void flagRoutes_grpcsAndHttpsEndpointsMeanTls() throws Exception {
    ProxyConfig c =
        new FlagConfig(
                List.of(),
                List.of("helloworld.Greeter=grpcs://127.0.0.1:50051", "/=https://127.0.0.1:8443"),
                null,
                null,
                null,
                null)
            .toProxyConfig();

    ClusterConfig greeter = c.clusters().get("helloworld.Greeter");
    ClusterConfig root = c.clusters().get("root");
    assertThat(greeter.protocol()).isEqualTo(ClusterConfig.Protocol.H2);
    assertThat(greeter.tls()).isEqualTo(UpstreamTlsConfig.DEFAULT);
    assertThat(root.protocol()).isEqualTo(ClusterConfig.Protocol.HTTP1);
    assertThat(root.tls()).isEqualTo(UpstreamTlsConfig.DEFAULT);
  }

  @Test
  void flagRouteMixingTlsAndPlaintext_isAnError() {
    FlagConfig f =
        new FlagConfig(
            List.of(), List.of("helloworld.Greeter=grpcs://a:1,b:2"), null, null, null, null);

    ConfigException e =
        (ConfigException) org.assertj.core.api.Assertions.catchThrowable(f::toProxyConfig);

    assertThat(e.errors().get(0).toString())
        .contains("mixes TLS (grpcs://, https://) and plaintext endpoints");
  }
}
