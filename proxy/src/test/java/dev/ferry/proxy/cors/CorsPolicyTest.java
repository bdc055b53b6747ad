package dev.ferry.proxy.cors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.config.CorsConfig;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which origins a policy allows, which requests are cross-origin, and the headers it adds. */
class CorsPolicyTest {
  private static CorsPolicy policy(String... origins) {
    return new CorsPolicy(CorsConfig.allowing(List.of(origins)));
  }

  @ParameterizedTest(name = "{0} allows {1}: {2}")
  @CsvSource({
    "https://app.example.com, https://app.example.com, true",
    "https://app.example.com, HTTPS://APP.EXAMPLE.COM, true",
    "https://app.example.com, http://app.example.com, false",
    "https://app.example.com, https://app.example.com:8443, false",
    "https://app.example.com, https://app.example.com.evil.net, false",
    "https://*.example.com, https://app.example.com, true",
    "https://*.example.com, https://a.b.example.com, true",
    "https://*.example.com, https://example.com, false",
    "https://*.example.com, https://.example.com, false",
    "https://*.example.com, http://app.example.com, false",
    "https://*.example.com, https://evilexample.com, false",
    "https://*.example.com, https://app.example.com:8443, false",
    "https://*.example.com:8443, https://app.example.com:8443, true",
    "*, http://127.0.0.1:5173, true",
    "*, null, true",
  })
  void allows_exactWildcardSubdomainAndAny(String allowed, String origin, boolean expected) {
    assertThat(policy(allowed).allows(origin)).isEqualTo(expected);
  }

  @Test
  void crossOrigin_isNullWithoutOriginOrForTheProxysOwnAuthority() {
    Http2Headers none = new DefaultHttp2Headers().authority("127.0.0.1:8080");
    Http2Headers same =
        new DefaultHttp2Headers()
            .authority("127.0.0.1:8080")
            .set("origin", "http://127.0.0.1:8080");
    Http2Headers sameByHost =
        new DefaultHttp2Headers()
            .set("host", "localhost:8080")
            .set("origin", "http://localhost:8080");
    Http2Headers other =
        new DefaultHttp2Headers()
            .authority("127.0.0.1:8080")
            .set("origin", "http://127.0.0.1:9090");

    assertThat(CorsPolicy.crossOrigin(none)).isNull();
    assertThat(CorsPolicy.crossOrigin(same)).isNull();
    assertThat(CorsPolicy.crossOrigin(sameByHost)).isNull();
    assertThat(CorsPolicy.crossOrigin(other)).hasToString("http://127.0.0.1:9090");
  }

  @Test
  void isPreflight_needsOptionsAndARequestedMethod() {
    assertThat(
            CorsPolicy.isPreflight(
                new DefaultHttp2Headers()
                    .method("OPTIONS")
                    .set("access-control-request-method", "POST")))
        .isTrue();
    assertThat(CorsPolicy.isPreflight(new DefaultHttp2Headers().method("OPTIONS"))).isFalse();
    assertThat(
            CorsPolicy.isPreflight(
                new DefaultHttp2Headers()
                    .method("POST")
                    .set("access-control-request-method", "POST")))
        .isFalse();
  }

  @Test
  void preflightAnswer_echoesTheOriginAndListsTheDefaultsForGrpcWebAndConnect() {
    Http2Headers h = new DefaultHttp2Headers();
    policy("*").addPreflight(h, "http://127.0.0.1:5173");

    // The origin itself, not '*': the same answer then works with credentials and behind caches.
    assertThat(h.get("access-control-allow-origin")).hasToString("http://127.0.0.1:5173");
    assertThat(h.get("vary")).hasToString("origin");
    assertThat(h.get("access-control-allow-methods")).hasToString("GET, POST, OPTIONS");
    assertThat(h.get("access-control-allow-headers").toString())
        .contains("x-grpc-web", "grpc-timeout", "connect-protocol-version", "content-type");
    assertThat(h.get("access-control-max-age")).hasToString("7200");
    assertThat(h.contains("access-control-allow-credentials")).isFalse();
  }

  @Test
  void actualAnswer_exposesGrpcStatusAndCredentialsWhenAllowed() {
    Http2Headers h = new DefaultHttp2Headers();
    new CorsPolicy(
            new CorsConfig(
                List.of("https://app.example.com"),
                List.of("POST"),
                List.of(),
                CorsConfig.DEFAULT_EXPOSE_HEADERS,
                true,
                Duration.ofMinutes(1)))
        .addActual(h, "https://app.example.com");

    assertThat(h.get("access-control-allow-origin")).hasToString("https://app.example.com");
    assertThat(h.get("access-control-expose-headers"))
        .hasToString("grpc-status, grpc-message, grpc-status-details-bin");
    assertThat(h.get("access-control-allow-credentials")).hasToString("true");
    assertThat(h.contains("access-control-allow-methods")).isFalse();
  }
}
