package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.accesslog.AccessLogEntry;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.CorsConfig;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.HelloRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CORS through ferry with curl playing the browser, over HTTP/1.1 and HTTP/2: preflights answered
 * by the proxy, allowed origins' answers (the backend's, errors and ferry's own) readable, a
 * refused origin told why and logged as cors_refused, a route's cors: over the listener's.
 */
class CorsTest {
  private static final String PAGE = "http://page.test:5173";
  private static final String OTHER = "http://evil.test";

  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private final ConcurrentLinkedQueue<AccessLogEntry> logged = new ConcurrentLinkedQueue<>();
  private int port;

  @BeforeEach
  void setUp() throws Exception {
    ExampleServer greeter = fixture.example(ExampleServer.Kind.GREETER);
    RouteConfig daininki = service("helloworld.Daininki", "greeter");
    ProxyConfig c =
        config(
            List.of(
                service("helloworld.Greeter", "greeter"),
                daininki.withDefaultCors(CorsConfig.allowing(List.of("https://*.example.com")))),
            ProxyFixture.cluster(
                "greeter", BalancePolicy.ROUND_ROBIN, greeter.address().getPort()));
    c =
        new ProxyConfig(
            List.of(
                c.listeners().get(0).toBuilder().cors(CorsConfig.allowing(List.of(PAGE))).build()),
            c.clusters(),
            null,
            c.drainTimeout());
    AccessLog log =
        new AccessLog() {
          @Override
          public void log(AccessLogEntry entry) {
            logged.add(entry);
          }

          @Override
          public void close() {}
        };
    ProxyServer proxy = fixture.proxy(c, log);
    port = proxy.boundAddresses().get(0).getPort();
  }

  @ParameterizedTest(name = "h2={0}")
  @ValueSource(booleans = {false, true})
  void preflight_fromAllowedOrigin_isAnsweredByFerry(boolean h2) throws Exception {
    Answer a = preflight("/helloworld.Greeter/SayHello", PAGE, h2);

    assertThat(a.status()).isEqualTo("204");
    assertThat(a.headers())
        .containsEntry("access-control-allow-origin", PAGE)
        .containsEntry("vary", "origin")
        .containsEntry("access-control-max-age", "7200");
    assertThat(a.headers().get("access-control-allow-methods")).contains("POST");
    assertThat(a.headers().get("access-control-allow-headers"))
        .contains("x-grpc-web", "grpc-timeout", "content-type");
    // Answered, not forwarded: a gRPC backend has no answer to OPTIONS, and no call was made.
    assertThat(logged).isEmpty();
  }

  @ParameterizedTest(name = "h2={0}")
  @ValueSource(booleans = {false, true})
  void preflight_fromRefusedOrigin_gets403NamingOriginAndSetting(boolean h2) throws Exception {
    Answer a = preflight("/helloworld.Greeter/SayHello", OTHER, h2);

    assertThat(a.status()).isEqualTo("403");
    assertThat(a.headers()).doesNotContainKey("access-control-allow-origin");
    assertThat(a.body())
        .isEqualTo(
            "ferry: origin http://evil.test is not in cors: allow_origins of route"
                + " 'helloworld.Greeter'\n");
    await().until(() -> !logged.isEmpty());
    assertThat(logged).singleElement().extracting(AccessLogEntry::reason).isEqualTo("cors_refused");
  }

  @ParameterizedTest(name = "text={0}")
  @ValueSource(booleans = {false, true})
  void call_fromAllowedOrigin_letsThePageReadAnswerAndErrors(boolean text) throws Exception {
    GrpcWebCurl.Response ok = call("/helloworld.Greeter/SayHello", text, PAGE);
    assertThat(ok.trailers()).containsEntry("grpc-status", "0");
    assertReadableBy(ok, PAGE);

    GrpcWebCurl.Response failed =
        call("/helloworld.Greeter/SayHello", text, PAGE, "x-fail-status: 9", "x-fail-message: no");
    assertThat(failed.status()).isEqualTo("9");
    assertThat(failed.message()).isEqualTo("no");
    assertReadableBy(failed, PAGE);
  }

  @ParameterizedTest(name = "h2={0}")
  @ValueSource(booleans = {false, true})
  void ferrysOwnAnswers_carryTheListenersCors(boolean h2) throws Exception {
    // No route matches, so only the listener's cors: can answer the page.
    GrpcWebCurl.Response noRoute;
    try (GrpcWebCurl c =
        GrpcWebCurl.post(port, "/nowhere.S/M", hello(), true, h2, "origin: " + PAGE)) {
      noRoute = c.finish();
    }
    assertThat(noRoute.status()).isEqualTo("12");
    assertReadableBy(noRoute, PAGE);

    GrpcWebCurl.Response late;
    try (GrpcWebCurl c =
        GrpcWebCurl.post(
            port,
            "/helloworld.Greeter/SayHello",
            hello(),
            false,
            h2,
            "origin: " + PAGE,
            "grpc-timeout: 50m",
            "x-delay-ms: 10000")) {
      late = c.finish();
    }
    assertThat(late.status()).isEqualTo("4");
    assertReadableBy(late, PAGE);
  }

  @Test
  void routesCors_winsOverTheListeners() throws Exception {
    assertThat(preflight("/helloworld.Daininki/Vote", PAGE, true).status()).isEqualTo("403");

    Answer a = preflight("/helloworld.Daininki/Vote", "https://app.example.com", true);
    assertThat(a.status()).isEqualTo("204");
    assertThat(a.headers()).containsEntry("access-control-allow-origin", "https://app.example.com");
  }

  @Test
  void sameOriginRequest_needsNoCors() throws Exception {
    String self = "http://127.0.0.1:" + port;
    GrpcWebCurl.Response r = call("/helloworld.Greeter/SayHello", false, self);
    assertThat(r.trailers()).containsEntry("grpc-status", "0");
    assertThat(r.headers()).doesNotContainKey("access-control-allow-origin");
  }

  private static void assertReadableBy(GrpcWebCurl.Response r, String origin) {
    assertThat(r.headers())
        .containsEntry("access-control-allow-origin", origin)
        .containsEntry("vary", "origin")
        .containsEntry(
            "access-control-expose-headers", "grpc-status, grpc-message, grpc-status-details-bin");
  }

  private static byte[] hello() {
    return HelloRequest.newBuilder().setName("page").build().toByteArray();
  }

  private GrpcWebCurl.Response call(String path, boolean text, String origin, String... extra)
      throws Exception {
    List<String> headers = new ArrayList<>(List.of("origin: " + origin));
    headers.addAll(List.of(extra));
    try (GrpcWebCurl c =
        GrpcWebCurl.post(port, path, hello(), text, false, headers.toArray(String[]::new))) {
      return c.finish();
    }
  }

  /** An HTTP answer: status, headers with lower-case names, body as text. */
  private record Answer(String status, Map<String, String> headers, String body) {}

  /** A browser's preflight for a gRPC-Web POST, sent by curl. */
  private Answer preflight(String path, String origin, boolean h2)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "curl",
                "-sS",
                "-i",
                "--max-time",
                "30",
                h2 ? "--http2-prior-knowledge" : "--http1.1",
                "-X",
                "OPTIONS",
                "-H",
                "origin: " + origin,
                "-H",
                "access-control-request-method: POST",
                "-H",
                "access-control-request-headers: content-type,x-grpc-web",
                "http://127.0.0.1:" + port + path)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("curl's exit code").isZero();
    int end = out.indexOf("\r\n\r\n");
    String[] lines = out.substring(0, end).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(), lines[i].substring(colon + 1).trim());
    }
    return new Answer(lines[0].split(" ")[1], headers, out.substring(end + 4));
  }
}
