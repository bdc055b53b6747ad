package dev.ferry.proxy.config;

import static dev.ferry.proxy.config.ConfigLoaderTest.error;
import static dev.ferry.proxy.config.ConfigLoaderTest.errors;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every kind of configuration error, with its exact {@code file:line:col: path: message}. */
class ConfigErrorMessagesTest {
  /** A listener whose one route goes to cluster {@code c}; lines 1 to 5. */
  static final String HEAD =
      """
      listeners:
        - address: 127.0.0.1:8080
          routes:
            - match: { prefix: / }
              cluster: c
      """;

  static final String DIRECT = "direct_reply: { grpc_status: 12 }";

  static String route(String route) {
    return "listeners:\n  - address: 127.0.0.1:1\n    routes: [ { " + route + " } ]\n";
  }

  @Test
  void unknownTopLevelKey_suggestsTheNearestAndIsNotAlsoReportedMissing() {
    assertThat(error("listners: []\n"))
        .isEqualTo("ferry.yaml:1:1: listners: unknown key (did you mean 'listeners'?)");
  }

  @Test
  void unknownKeyFarFromAnyKnown_listsTheKnownKeys() {
    assertThat(errors(HEAD + "clusters:\n  c: { endpoints: [a:1] }\ntracing: { on: x }\n"))
        .containsExactly(
            "ferry.yaml:8:1: tracing: unknown key (expected one of: listeners, clusters,"
                + " access_log, drain_timeout, admin, xds)");
  }

  @Test
  void adminAddressWithoutPort_namesTheKeyAndTheExpectedShape() {
    assertThat(errors(HEAD + "clusters:\n  c: { endpoints: [a:1] }\nadmin: { address: x }\n"))
        .containsExactly(
            "ferry.yaml:8:10: admin.address: expected host:port such as 127.0.0.1:8080 or"
                + " [::1]:8080, got 'x'");
    assertThat(errors(HEAD + "clusters:\n  c: { endpoints: [a:1] }\nadmin: { adress: x }\n"))
        .containsExactly("ferry.yaml:8:10: admin.adress: unknown key (did you mean 'address'?)");
  }

  @Test
  void unknownRouteKey_suggestsTheNearest() {
    assertThat(error(route("match: {}, " + DIRECT + ", timout: { max: 1s }")))
        .isEqualTo(
            "ferry.yaml:3:63: listeners[0].routes[0].timout: unknown key (did you mean 'timeout'?)");
  }

  @Test
  void missingListeners_isRequired() {
    assertThat(error("clusters:\n  c: { endpoints: [a:1] }\n"))
        .isEqualTo("ferry.yaml:1:1: listeners: required (expected a list of listeners)");
  }

  @Test
  void mappingWhereAListBelongs_saysWhatWasExpected() {
    assertThat(error("listeners: { address: x }\n"))
        .isEqualTo(
            "ferry.yaml:1:1: listeners: expected a list of listeners, such as - { address:"
                + " 127.0.0.1:8080, routes: [...] }, got a mapping");
  }

  @Test
  void scalarWhereAMappingBelongs_listsTheKeys() {
    assertThat(error(route("match: helloworld.Greeter, " + DIRECT)))
        .isEqualTo(
            "ferry.yaml:3:17: listeners[0].routes[0].match: expected a mapping (keys: service,"
                + " method, prefix, authority, headers, client_subject), got 'helloworld.Greeter'");
  }

  @Test
  void notAMappingAtAll_isOneError() {
    assertThat(error("hello\n"))
        .isEqualTo(
            "ferry.yaml:1:1: expected a mapping (keys: listeners, clusters, access_log,"
                + " drain_timeout, admin, xds), got 'hello'");
  }

  @Test
  void emptyFile_isAnError() {
    assertThat(error(""))
        .isEqualTo("ferry.yaml: the file is empty (expected listeners: and clusters:)");
  }

  @Test
  void invalidYaml_namesItsPosition() {
    assertThat(error("listeners:\n\t- address: x\n"))
        .startsWith("ferry.yaml:2:1: invalid YAML: found character '\\t(TAB)'");
  }

  @Test
  void duplicateKey_namesTheFirst() {
    assertThat(error(HEAD + "clusters:\n  c: { endpoints: [a:1] }\n  c: { endpoints: [a:2] }\n"))
        .isEqualTo("ferry.yaml:8:3: clusters.c: duplicate key (first at line 7)");
  }

  @Test
  void durationWithoutUnit_suggestsOne() {
    assertThat(error(HEAD + "clusters:\n  c: { endpoints: [a:1], connect_timeout: 5 }\n"))
        .isEqualTo(
            "ferry.yaml:7:26: clusters.c.connect_timeout: expected a duration such as 5s, 250ms,"
                + " 1m or 1h, got '5' (a unit is needed: 5s?)");
  }

  @Test
  void durationInWords_saysWhatWasExpected() {
    assertThat(error(HEAD + "clusters:\n  c: { endpoints: [a:1], connect_timeout: fast }\n"))
        .isEqualTo(
            "ferry.yaml:7:26: clusters.c.connect_timeout: expected a duration such as 5s, 250ms,"
                + " 1m or 1h, got 'fast'");
  }

  @Test
  void zeroDeadlineCap_isRefused() {
    assertThat(error(route("match: {}, " + DIRECT + ", timeout: { max: 0 }")))
        .isEqualTo(
            "ferry.yaml:3:74: listeners[0].routes[0].timeout.max: expected a duration greater"
                + " than zero, got '0'");
  }

  @Test
  void addressWithoutHost_suggestsOne() {
    assertThat(
            error("listeners:\n  - address: 8080\n    routes: [ { match: {}, " + DIRECT + " } ]\n"))
        .isEqualTo(
            "ferry.yaml:2:5: listeners[0].address: expected host:port such as 127.0.0.1:8080 or"
                + " [::1]:8080, got '8080' (a host is needed: 127.0.0.1:8080?)");
  }

  @Test
  void ipv6WithoutBrackets_showsTheBracketedForm() {
    assertThat(
            error(
                "listeners:\n  - address: ::1:8080\n    routes: [ { match: {}, "
                    + DIRECT
                    + " } ]\n"))
        .isEqualTo(
            "ferry.yaml:2:5: listeners[0].address: an IPv6 address needs brackets: [::1]:8080,"
                + " got '::1:8080'");
  }

  @Test
  void listenerPortOutOfRange_givesTheRange() {
    assertThat(
            error(
                "listeners:\n  - address: 127.0.0.1:65536\n    routes: [ { match: {}, "
                    + DIRECT
                    + " } ]\n"))
        .isEqualTo(
            "ferry.yaml:2:5: listeners[0].address: port 65536 is out of range (expected 0 to"
                + " 65535), in '127.0.0.1:65536'");
  }

  @Test
  void endpointPortZero_isOutOfRange() {
    assertThat(error(HEAD + "clusters:\n  c: { endpoints: [127.0.0.1:0] }\n"))
        .isEqualTo(
            "ferry.yaml:7:20: clusters.c.endpoints[0]: port 0 is out of range (expected 1 to"
                + " 65535), in '127.0.0.1:0'");
  }

  @Test
  void endpointWithAnUnknownScheme_isRefused() {
    assertThat(error(HEAD + "clusters:\n  c: { endpoints: ['grpc://a:1'] }\n"))
        .isEqualTo(
            "ferry.yaml:7:20: clusters.c.endpoints[0]: unknown scheme 'grpc://' in 'grpc://a:1'"
                + " (expected: http://, https://, grpcs:// or none)");
  }

  @Test
  void httpEndpointInAnH2Cluster_isAnErrorAtTheProtocol() {
    assertThat(error(HEAD + "clusters:\n  c: { endpoints: ['http://a:1'], protocol: h2 }\n"))
        .isEqualTo("ferry.yaml:7:35: clusters.c.protocol: http:// endpoints speak http1, not h2");
  }

  @Test
  void httpEndpointWithTls_isAnError() {
    assertThat(
            error(
                HEAD + "clusters:\n  c: { endpoints: ['http://a:1'], tls: { server_name: x } }\n"))
        .isEqualTo(
            "ferry.yaml:7:35: clusters.c.tls: http:// endpoints are plaintext; use https:// for"
                + " TLS");
  }

  @Test
  void oneSocketWrittenTwoWays_isRefused_asTheSecondBindWouldBe() {
    String routes = "    routes: [ { match: {}, " + DIRECT + " } ]\n";
    assertThat(
            error(
                "listeners:\n  - address: 127.0.0.1:8080\n"
                    + routes
                    + "  - address: localhost:8080\n"
                    + routes))
        .isEqualTo(
            "ferry.yaml:4:5: listeners[1].address: listener address localhost:8080 is the same"
                + " socket as 127.0.0.1:8080 (both are 127.0.0.1)");
  }

  @Test
  void endpointHostThatDoesNotResolve_isAWarningAtItsLine_notAnError() throws Exception {
    List<ConfigError> warnings = new ArrayList<>();
    ProxyConfig c =
        ConfigLoader.parse(
            "ferry.yaml",
            HEAD + "clusters:\n  c: { endpoints: [127.0.0.1:1, 'no-such-host.invalid:2'] }\n",
            warnings);

    assertThat(c.clusters().get("c").endpoints()).hasSize(2);
    assertThat(warnings)
        .extracting(ConfigError::toString)
        .containsExactly(
            "ferry.yaml:7:33: clusters.c.endpoints[1]: warning: host name 'no-such-host.invalid'"
                + " does not resolve now; the endpoint gets no calls until it does (looked up"
                + " again every dns_refresh)");
  }

  @Test
  void duplicateListenerAddress_isRefused() {
    String listener = "  - address: 127.0.0.1:1\n    routes: [ { match: {}, " + DIRECT + " } ]\n";
    assertThat(error("listeners:\n" + listener + listener))
        .isEqualTo(
            "ferry.yaml:4:5: listeners[1].address: listener address 127.0.0.1:1 is given twice");
  }

  @Test
  void wildcardListenerOnTheSamePort_overlaps() {
    String routes = "    routes: [ { match: {}, " + DIRECT + " } ]\n";
    assertThat(
            error(
                "listeners:\n  - address: 0.0.0.0:1\n"
                    + routes
                    + "  - address: 127.0.0.1:1\n"
                    + routes))
        .isEqualTo(
            "ferry.yaml:4:5: listeners[1].address: listener address 127.0.0.1:1 overlaps"
                + " 0.0.0.0:1 (same port, and one of them listens on every interface)");
  }

  @Test
  void badRegex_saysWhereInThePattern() {
    assertThat(error(route("match: { headers: [ { name: x, regex: 'a(' } ] }, " + DIRECT)))
        .isEqualTo(
            "ferry.yaml:3:48: listeners[0].routes[0].match.headers[0].regex: invalid regex 'a(':"
                + " Unclosed group at index 2");
  }

  @Test
  void headerMatchWithTwoConditions_isRefused() {
    assertThat(error(route("match: { headers: [ { name: x, exact: a, prefix: b } ] }, " + DIRECT)))
        .isEqualTo(
            "ferry.yaml:3:37: listeners[0].routes[0].match.headers[0]: expected exactly one of"
                + " exact, prefix or regex, got exact, prefix");
  }

  @Test
  void serviceWithASlash_suggestsItWithout() {
    assertThat(error(route("match: { service: /helloworld.Greeter }, " + DIRECT)))
        .isEqualTo(
            "ferry.yaml:3:26: listeners[0].routes[0].match.service: expected a gRPC service such"
                + " as helloworld.Greeter, got '/helloworld.Greeter' (without the slash:"
                + " helloworld.Greeter?)");
  }

  @Test
  void methodOutsideItsService_neverMatches() {
    assertThat(
            error(
                route(
                    "match: { service: helloworld.Greeter, method: helloworld.Daininki/Vote }, "
                        + DIRECT)))
        .isEqualTo(
            "ferry.yaml:3:55: listeners[0].routes[0].match.method: method"
                + " helloworld.Daininki/Vote is not in service helloworld.Greeter, so the route"
                + " never matches");
  }

  @Test
  void authorityWithAPort_isRefused() {
    assertThat(error(route("match: { authority: 'a:80' }, " + DIRECT)))
        .isEqualTo(
            "ferry.yaml:3:26: listeners[0].routes[0].match.authority: expected a host name"
                + " without port, such as api.local, got 'a:80'");
  }

  @Test
  void routeWithClusterAndDirectReply_isRefused() {
    assertThat(
            error(
                "listeners:\n  - address: 127.0.0.1:1\n    routes:\n      - match: {}\n"
                    + "        cluster: c\n        "
                    + DIRECT
                    + "\nclusters:\n  c: { endpoints: [a:1] }\n"))
        .isEqualTo(
            "ferry.yaml:4:9: listeners[0].routes[0]: a route goes to a cluster or gives a"
                + " direct_reply, not both");
  }

  @Test
  void routeWithNeitherClusterNorDirectReply_isRefused() {
    assertThat(error("listeners:\n  - address: 127.0.0.1:1\n    routes:\n      - match: {}\n"))
        .isEqualTo(
            "ferry.yaml:4:9: listeners[0].routes[0]: a route needs a cluster or a direct_reply");
  }

  @Test
  void listenerWithoutRoutes_isRefused() {
    assertThat(error("listeners:\n  - address: 127.0.0.1:1\n    routes: []\n"))
        .isEqualTo("ferry.yaml:3:5: listeners[0].routes: expected at least one route");
  }

  @Test
  void clusterReferenceWithoutClusters_saysThereAreNone() {
    assertThat(error(HEAD))
        .isEqualTo(
            "ferry.yaml:5:9: listeners[0].routes[0].cluster: no cluster named 'c' (there is no"
                + " clusters: section)");
  }

  @Test
  void unknownBalancePolicy_listsTheValidOnes() {
    assertThat(error(HEAD + "clusters:\n  c: { endpoints: [a:1], balance: fastest }\n"))
        .isEqualTo(
            "ferry.yaml:7:26: clusters.c.balance: unknown balance policy 'fastest'; expected one"
                + " of: round_robin, weighted_round_robin, least_request, random, ring_hash");
  }

  @Test
  void ringHashWithoutHeader_showsTheForm() {
    assertThat(error(HEAD + "clusters:\n  c: { endpoints: [a:1], balance: ring_hash }\n"))
        .isEqualTo(
            "ferry.yaml:7:26: clusters.c.balance: ring_hash needs the header whose value is"
                + " hashed: balance: { ring_hash: { header: x-user-id } }");
    assertThat(error(HEAD + "clusters:\n  c: { endpoints: [a:1], balance: { ring_hash: {} } }\n"))
        .isEqualTo(
            "ferry.yaml:7:37: clusters.c.balance.ring_hash.header: required (expected the request"
                + " header whose value is hashed, such as x-user-id)");
  }

  @Test
  void twoBalancePolicies_isRefused() {
    assertThat(
            error(
                HEAD
                    + "clusters:\n  c: { endpoints: [a:1], balance: { random: {}, least_request: {} } }\n"))
        .isEqualTo(
            "ferry.yaml:7:26: clusters.c.balance: expected exactly one policy, got random,"
                + " least_request (such as balance: { ring_hash: { header: x-user-id } })");
  }

  @Test
  void weightZero_isRefused() {
    assertThat(
            error(
                HEAD
                    + "clusters:\n  c: { endpoints: [ { address: a:1, weight: 0 } ], balance: weighted_round_robin }\n"))
        .isEqualTo(
            "ferry.yaml:7:37: clusters.c.endpoints[0].weight: expected a whole number from 1 to"
                + " 1000000, got 0");
  }

  @Test
  void weightUnderAnUnweightedPolicy_isRefused() {
    assertThat(error(HEAD + "clusters:\n  c: { endpoints: [ { address: a:1, weight: 2 } ] }\n"))
        .isEqualTo(
            "ferry.yaml:7:37: clusters.c.endpoints[0].weight: a weight only counts under balance:"
                + " weighted_round_robin (this cluster uses round_robin)");
  }

  @Test
  void emptyEndpointList_isRefused() {
    assertThat(error(HEAD + "clusters:\n  c: { endpoints: [] }\n"))
        .isEqualTo(
            "ferry.yaml:7:8: clusters.c.endpoints: expected at least one endpoint"
                + " ([scheme://]host:port or { address: [scheme://]host:port, weight: 2 })");
  }

  @Test
  void missingEndpoints_isRequired() {
    assertThat(error(HEAD + "clusters:\n  c: { balance: random }\n"))
        .isEqualTo(
            "ferry.yaml:7:3: clusters.c.endpoints: required (expected a list of"
                + " [scheme://]host:port or { address: [scheme://]host:port, weight: 2 })");
  }

  @Test
  void duplicateEndpoint_isRefused() {
    assertThat(error(HEAD + "clusters:\n  c: { endpoints: [a:1, a:1] }\n"))
        .isEqualTo("ferry.yaml:7:25: clusters.c.endpoints[1]: endpoint a:1 is listed twice");
  }

  @Test
  void unknownProtocol_suggestsTheNearest() {
    assertThat(error(HEAD + "clusters:\n  c: { endpoints: [a:1], protocol: http2 }\n"))
        .isEqualTo(
            "ferry.yaml:7:26: clusters.c.protocol: unknown protocol 'http2' (did you mean"
                + " 'http1'?)");
  }

  @Test
  void negativeRetries_isRefused() {
    assertThat(error(HEAD + "clusters:\n  c: { endpoints: [a:1], connect_retries: -1 }\n"))
        .isEqualTo(
            "ferry.yaml:7:26: clusters.c.connect_retries: expected a whole number from 0 to 100,"
                + " got -1");
  }

  @Test
  void unknownGrpcStatus_isRefused() {
    assertThat(error(route("match: {}, direct_reply: { grpc_status: 17 }")))
        .isEqualTo(
            "ferry.yaml:3:44: listeners[0].routes[0].direct_reply.grpc_status: expected a gRPC"
                + " status code from 0 to 16, or its name such as UNAVAILABLE, got '17'");
  }

  @Test
  void settingAPseudoHeader_isRefused() {
    assertThat(
            error(
                route(
                    "match: {}, " + DIRECT + ", response_headers: { set: { ':status': '200' } }")))
        .isEqualTo(
            "ferry.yaml:3:90: listeners[0].routes[0].response_headers.set.:status: ':status' is a"
                + " pseudo-header, which the proxy keeps as it is");
  }

  @Test
  void unknownAccessLogFormat_suggestsTheNearest() {
    assertThat(error(HEAD + "clusters:\n  c: { endpoints: [a:1] }\naccess_log: { format: jsno }\n"))
        .isEqualTo(
            "ferry.yaml:8:15: access_log.format: unknown format 'jsno' (did you mean 'json'?)");
  }
}
