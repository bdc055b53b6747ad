package dev.ferry.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.config.HeaderMatch;
import dev.ferry.proxy.config.HeaderRules;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.config.RouteMatch;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RouteTableTest {
  private static RouteConfig to(String cluster, RouteMatch m) {
    return new RouteConfig(m, cluster, null, HeaderRules.NONE, HeaderRules.NONE, null);
  }

  private static RouteMatch match(
      String service, String method, String prefix, String authority, HeaderMatch... hs) {
    return new RouteMatch(service, method, prefix, authority, List.of(hs));
  }

  private static Http2Headers request(String path, String authority, String... headers) {
    Http2Headers h = new DefaultHttp2Headers().method("POST").path(path);
    if (authority != null) {
      h.authority(authority);
    }
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return h;
  }

  private static String cluster(RouteTable t, Http2Headers h) {
    Route r = t.match(h);
    return r == null ? null : r.cluster();
  }

  @Test
  void service_matchesItsMethods_only() {
    RouteTable t =
        RouteTable.compile(List.of(to("g", match("helloworld.Greeter", null, null, null))));
    assertThat(cluster(t, request("/helloworld.Greeter/SayHello", null))).isEqualTo("g");
    assertThat(cluster(t, request("/helloworld.GreeterX/SayHello", null))).isNull();
    assertThat(cluster(t, request("/helloworld.Daininki/Vote", null))).isNull();
  }

  @Test
  void exactMethod_beatsLaterServiceRoute_whenFirst() {
    RouteTable t =
        RouteTable.compile(
            List.of(
                to("special", match(null, "helloworld.Greeter/SayHello", null, null)),
                to("g", match("helloworld.Greeter", null, null, null))));
    assertThat(cluster(t, request("/helloworld.Greeter/SayHello", null))).isEqualTo("special");
    assertThat(cluster(t, request("/helloworld.Greeter/SayHelloAgain", null))).isEqualTo("g");
  }

  @Test
  void authority_isComparedWithoutPort_andHostHeaderCounts() {
    RouteTable t = RouteTable.compile(List.of(to("a", match(null, null, "/", "api.example.com"))));
    assertThat(cluster(t, request("/x", "api.example.com:8080"))).isEqualTo("a");
    assertThat(cluster(t, request("/x", "API.example.com"))).isEqualTo("a");
    assertThat(cluster(t, request("/x", null, "host", "api.example.com"))).isEqualTo("a");
    assertThat(cluster(t, request("/x", "other.example.com"))).isNull();
    assertThat(RouteTable.stripPort("[::1]:80")).hasToString("::1");
  }

  @Test
  void headers_matchExactPrefixAndRegex() {
    RouteTable t =
        RouteTable.compile(
            List.of(
                to(
                    "exact",
                    match(null, null, null, null, new HeaderMatch("x-env", "canary", null, null))),
                to(
                    "prefix",
                    match(null, null, null, null, new HeaderMatch("x-user", null, "vip-", null))),
                to(
                    "regex",
                    match(
                        null,
                        null,
                        null,
                        null,
                        new HeaderMatch("x-id", null, null, Pattern.compile("[0-9]+")))),
                to("rest", match(null, null, "/", null))));
    assertThat(cluster(t, request("/p", null, "x-env", "canary"))).isEqualTo("exact");
    assertThat(cluster(t, request("/p", null, "x-user", "vip-7"))).isEqualTo("prefix");
    assertThat(cluster(t, request("/p", null, "x-id", "123"))).isEqualTo("regex");
    assertThat(cluster(t, request("/p", null, "x-id", "12a"))).isEqualTo("rest");
  }

  @Test
  void emptyMatch_matchesEverything_andFirstMatchWins() {
    RouteTable t =
        RouteTable.compile(
            List.of(
                to("all", new RouteMatch(null, null, null, null, List.of())),
                to("never", match(null, null, "/", null))));
    assertThat(cluster(t, request("/anything", null))).isEqualTo("all");
  }

  @Test
  void headerRules_removeThenSetThenAdd() {
    HeaderRewriter rw =
        new HeaderRewriter(
            new HeaderRules(Map.of("x-set", "new"), Map.of("x-add", "two"), List.of("x-drop")));
    Http2Headers h = request("/p", null, "x-drop", "1", "x-set", "old", "x-add", "one");
    rw.apply(h);
    assertThat(h.contains("x-drop")).isFalse();
    assertThat(h.getAll("x-set")).hasSize(1).allSatisfy(v -> assertThat(v).hasToString("new"));
    assertThat(h.getAll("x-add")).extracting(CharSequence::toString).containsExactly("one", "two");
  }
}
