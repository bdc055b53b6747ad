package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.rpc.RetryInfo;
import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.accesslog.AccessLogEntry;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.RouteMatch;
import dev.ferry.proxy.trace.TraceEvent;
import dev.ferry.proxy.trace.TraceOptions;
import dev.ferry.proxy.trace.TraceTap;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Connect protocol through ferry with curl as the client, over HTTP/1.1 and HTTP/2: unary JSON
 * and binary, GET, server streams passed on as they come, and every kind of failure as Connect's
 * error JSON (or a stream's end-of-stream message) with the protocol's HTTP status.
 */
class ConnectTest {
  private static final String SAY_HELLO = "/helloworld.Greeter/SayHello";

  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private final ConcurrentLinkedQueue<AccessLogEntry> logged = new ConcurrentLinkedQueue<>();
  private final CountDownLatch sendLast = new CountDownLatch(1);
  private ProxyServer proxy;
  private int port;

  @BeforeEach
  void setUp() throws Exception {
    ExampleServer greeter = fixture.example(ExampleServer.Kind.GREETER);
    TestBackend withoutReflection = fixture.backend();
    Server gated =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new GatedGreeter(sendLast))
            .addService(ProtoReflectionServiceV1.newInstance())
            .build()
            .start();
    fixture.closeLater(
        () -> {
          sendLast.countDown();
          gated.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        });
    AccessLog log =
        new AccessLog() {
          @Override
          public void log(AccessLogEntry entry) {
            logged.add(entry);
          }

          @Override
          public void close() {}
        };
    proxy =
        fixture.proxy(
            config(
                List.of(
                    method("helloworld.Greeter/SayHelloStreamReply", "gated"),
                    method("helloworld.Greeter/SayHelloAgain", "bare"),
                    service("helloworld.Greeter", "greeter"),
                    service("helloworld.Daininki", "gone")),
                ProxyFixture.cluster(
                    "greeter", BalancePolicy.ROUND_ROBIN, greeter.address().getPort()),
                ProxyFixture.cluster("gone", BalancePolicy.ROUND_ROBIN, fixture.refusedPort()),
                ProxyFixture.cluster("gated", BalancePolicy.ROUND_ROBIN, gated.getPort()),
                ProxyFixture.cluster("bare", BalancePolicy.ROUND_ROBIN, withoutReflection.port())),
            log);
    port = proxy.boundAddresses().get(0).getPort();
  }

  private static dev.ferry.proxy.config.RouteConfig method(String method, String cluster) {
    return ProxyFixture.route(new RouteMatch(null, method, null, null, List.of()), cluster, null);
  }

  private static byte[] hello(String name) {
    return HelloRequest.newBuilder().setName(name).build().toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] envelope(byte[] payload) {
    return GrpcWebCurl.frame(payload); // Connect's envelope, flags 0, is gRPC's frame
  }

  private ConnectCurl.Response json(String path, String body, boolean h2, String... headers)
      throws Exception {
    try (ConnectCurl c =
        ConnectCurl.post(port, path, "application/json", utf8(body), h2, headers)) {
      return c.finish();
    }
  }

  private static JsonObject error(ConnectCurl.Response r) {
    assertThat(r.headers()).containsEntry("content-type", "application/json");
    return JsonParser.parseString(r.text()).getAsJsonObject();
  }

  @ParameterizedTest(name = "h2={0}")
  @ValueSource(booleans = {false, true})
  void unaryJson_answersTheGreetersTextInJson(boolean h2) throws Exception {
    ConnectCurl.Response r = json(SAY_HELLO, "{\"name\":\"x\"}", h2);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers()).containsEntry("content-type", "application/json");
    assertThat(r.text()).isEqualTo("{\"message\":\"Hello, x!\"}");
    await().until(() -> !logged.isEmpty());
    assertThat(logged)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.bridge()).isEqualTo("connect");
              assertThat(e.reason()).isEqualTo("ok");
            });
    assertThat(proxy.meters().scrape())
        .contains("ferry_calls_by_protocol_total{protocol=\"connect\"} 1.0");
  }

  @ParameterizedTest(name = "h2={0}")
  @ValueSource(booleans = {false, true})
  void unaryProto_answersTheBinaryMessage(boolean h2) throws Exception {
    try (ConnectCurl c = ConnectCurl.post(port, SAY_HELLO, "application/proto", hello("p"), h2)) {
      ConnectCurl.Response r = c.finish();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.headers()).containsEntry("content-type", "application/proto");
      assertThat(HelloReply.parseFrom(r.body()).getMessage()).isEqualTo("Hello, p!");
    }
  }

  @Test
  void backendWithoutReflection_jsonSaysWhyAndProtoStillWorks() throws Exception {
    ConnectCurl.Response r = json("/helloworld.Greeter/SayHelloAgain", "{\"name\":\"j\"}", false);
    assertThat(r.status()).isEqualTo(501);
    assertThat(r.headers()).containsEntry("ferry-local-reply", "no_schema");
    JsonObject e = error(r);
    assertThat(e.get("code").getAsString()).isEqualTo("unimplemented");
    assertThat(e.get("message").getAsString())
        .contains("cluster 'bare'", "grpc.reflection", "application/proto");

    try (ConnectCurl c =
        ConnectCurl.post(
            port, "/helloworld.Greeter/SayHelloAgain", "application/proto", hello("p"), false)) {
      ConnectCurl.Response ok = c.finish();
      assertThat(ok.status()).isEqualTo(200);
      assertThat(HelloReply.parseFrom(ok.body()).getMessage()).isEqualTo("Hello again, p!");
    }
  }

  @ParameterizedTest(name = "h2={0}")
  @ValueSource(booleans = {false, true})
  void get_carriesTheMessageInTheQuery(boolean h2) throws Exception {
    String message = Base64.getUrlEncoder().withoutPadding().encodeToString(hello("g"));
    try (ConnectCurl c =
        ConnectCurl.get(
            port, SAY_HELLO + "?connect=v1&encoding=proto&base64=1&message=" + message, h2)) {
      ConnectCurl.Response r = c.finish();
      assertThat(r.status()).isEqualTo(200);
      assertThat(HelloReply.parseFrom(r.body()).getMessage()).isEqualTo("Hello, g!");
    }
  }

  @Test
  void getInJson_ofAMethodWithSideEffects_isRefusedWithTheReason() throws Exception {
    String json = URLEncoder.encode("{\"name\":\"g\"}", StandardCharsets.UTF_8);
    try (ConnectCurl c =
        ConnectCurl.get(port, SAY_HELLO + "?encoding=json&message=" + json, false)) {
      ConnectCurl.Response r = c.finish();
      assertThat(r.status()).isEqualTo(501);
      JsonObject e = error(r);
      assertThat(e.get("code").getAsString()).isEqualTo("unimplemented");
      assertThat(e.get("message").getAsString()).contains("NO_SIDE_EFFECTS", "POST it");
    }
  }

  @ParameterizedTest(name = "codec={0}")
  @ValueSource(strings = {"json", "proto"})
  void serverStream_reachesTheClientAsItIsSent(String codec) throws Exception {
    boolean json = codec.equals("json");
    byte[] request = envelope(json ? utf8("{\"name\":\"s\"}") : hello("s"));
    try (ConnectCurl c =
        ConnectCurl.post(
            port,
            "/helloworld.Greeter/SayHelloStreamReply",
            "application/connect+" + codec,
            request,
            true)) {
      ConnectCurl.Envelope first = c.nextEnvelope();
      // The backend still holds its last message: the first one came through on its own.
      assertThat(sendLast.getCount()).isEqualTo(1);
      assertThat(first.flags()).isZero();
      assertThat(message(first, json)).isEqualTo("first s");
      sendLast.countDown();
      ConnectCurl.Envelope last = c.nextEnvelope();
      assertThat(message(last, json)).isEqualTo("last s");
      ConnectCurl.Envelope end = c.nextEnvelope();
      assertThat(end.flags()).isEqualTo(2);
      assertThat(JsonParser.parseString(end.text()).getAsJsonObject().has("error")).isFalse();
      assertThat(c.nextEnvelope()).isNull();
      ConnectCurl.Response r = c.finish();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.headers()).containsEntry("content-type", "application/connect+" + codec);
    }
  }

  private static String message(ConnectCurl.Envelope e, boolean json) throws Exception {
    return json
        ? JsonParser.parseString(e.text()).getAsJsonObject().get("message").getAsString()
        : HelloReply.parseFrom(e.payload()).getMessage();
  }

  @Test
  void streamFailingMidway_endsWithTheErrorInTheEndOfStreamMessage() throws Exception {
    try (ConnectCurl c =
        ConnectCurl.post(
            port,
            "/helloworld.Greeter/SayHelloStreamReply",
            "application/connect+json",
            envelope(utf8("{\"name\":\"fail\"}")),
            false)) {
      assertThat(c.nextEnvelope().flags()).isZero();
      ConnectCurl.Envelope end = c.nextEnvelope();
      assertThat(end.flags()).isEqualTo(2);
      assertThat(end.text())
          .isEqualTo("{\"error\":{\"code\":\"not_found\",\"message\":\"gone away\"}}");
      assertThat(c.finish().status()).isEqualTo(200);
    }
  }

  @Test
  void errorDetails_reachTheClientInTheEndOfStreamMessage() throws Exception {
    try (ConnectCurl c =
        ConnectCurl.post(
            port,
            "/helloworld.Greeter/SayHelloStreamReply",
            "application/connect+json",
            envelope(utf8("{\"name\":\"slow\"}")),
            true)) {
      assertThat(c.nextEnvelope().flags()).isZero();
      JsonObject error =
          JsonParser.parseString(c.nextEnvelope().text())
              .getAsJsonObject()
              .getAsJsonObject("error");
      assertThat(error.get("code").getAsString()).isEqualTo("resource_exhausted");
      JsonObject detail = error.getAsJsonArray("details").get(0).getAsJsonObject();
      assertThat(detail.get("type").getAsString()).isEqualTo("google.rpc.RetryInfo");
      byte[] value = Base64.getDecoder().decode(detail.get("value").getAsString());
      assertThat(RetryInfo.parseFrom(value).getRetryDelay().getSeconds()).isEqualTo(3);
      c.finish();
    }
  }

  @Test
  void streamRefusedByFerry_isHeadersAndAnEndOfStreamError() throws Exception {
    try (ConnectCurl c =
        ConnectCurl.post(
            port,
            "/helloworld.Daininki/Ranking",
            "application/connect+proto",
            envelope(new byte[0]),
            false)) {
      ConnectCurl.Envelope end = c.nextEnvelope();
      assertThat(end.flags()).isEqualTo(2);
      JsonObject error =
          JsonParser.parseString(end.text()).getAsJsonObject().getAsJsonObject("error");
      assertThat(error.get("code").getAsString()).isEqualTo("unavailable");
      assertThat(error.get("message").getAsString()).contains("cluster 'gone'");
      ConnectCurl.Response r = c.finish();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.headers()).containsEntry("ferry-local-reply", "connect_failed");
    }
  }

  @Test
  void connectTimeout_becomesTheCallsDeadline() throws Exception {
    ConnectCurl.Response r =
        json(SAY_HELLO, "{\"name\":\"t\"}", true, "connect-timeout-ms: 100", "x-delay-ms: 10000");

    assertThat(r.status()).isEqualTo(504);
    assertThat(r.headers()).containsEntry("ferry-local-reply", "deadline_exceeded");
    assertThat(error(r).get("code").getAsString()).isEqualTo("deadline_exceeded");
  }

  @ParameterizedTest(name = "h2={0}")
  @ValueSource(booleans = {false, true})
  void backendError_isConnectErrorJsonWithItsHttpStatus(boolean h2) throws Exception {
    ConnectCurl.Response r =
        json(SAY_HELLO, "{\"name\":\"e\"}", h2, "x-fail-status: 7", "x-fail-message: not for you");

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.text()).isEqualTo("{\"code\":\"permission_denied\",\"message\":\"not for you\"}");
  }

  @ParameterizedTest(name = "h2={0}")
  @ValueSource(booleans = {false, true})
  void localReplies_areConnectErrorJson(boolean h2) throws Exception {
    ConnectCurl.Response noRoute = json("/nowhere.Service/Method", "{}", h2);
    assertThat(noRoute.status()).isEqualTo(501);
    assertThat(noRoute.headers()).containsEntry("ferry-local-reply", "no_route");
    JsonObject e = error(noRoute);
    assertThat(e.get("code").getAsString()).isEqualTo("unimplemented");
    assertThat(e.get("message").getAsString()).contains("no route for /nowhere.Service/Method");
    // The access log says what the client got, not the Trailers-Only 200 the call answered with.
    await().until(() -> logged.stream().anyMatch(l -> l.path().startsWith("/nowhere")));
    assertThat(logged.stream().filter(l -> l.path().startsWith("/nowhere")).findFirst())
        .hasValueSatisfying(
            l -> {
              assertThat(l.httpStatus()).isEqualTo(501);
              assertThat(l.reason()).isEqualTo("no_route");
            });

    ConnectCurl.Response down = json("/helloworld.Daininki/Vote", "{\"candidate\":\"a\"}", h2);
    assertThat(down.status()).isEqualTo(503);
    JsonObject d = error(down);
    assertThat(d.get("code").getAsString()).isEqualTo("unavailable");
    assertThat(d.get("message").getAsString()).contains("cluster 'gone'");
  }

  @Test
  void malformedJson_isInvalidArgumentNamingTheType() throws Exception {
    ConnectCurl.Response r = json(SAY_HELLO, "{\"name\":", false);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.headers()).containsEntry("ferry-local-reply", "bad_request");
    JsonObject e = error(r);
    assertThat(e.get("code").getAsString()).isEqualTo("invalid_argument");
    assertThat(e.get("message").getAsString()).contains("not JSON of helloworld.HelloRequest");
  }

  @Test
  void unknownMethod_isUnimplemented() throws Exception {
    ConnectCurl.Response r = json("/helloworld.Greeter/Nope", "{}", false);

    assertThat(r.status()).isEqualTo(501);
    assertThat(error(r).get("code").getAsString()).isEqualTo("unimplemented");
  }

  @Test
  void unaryCallOfAStreamingMethod_isRefusedWithWhatToDo() throws Exception {
    ConnectCurl.Response r = json("/helloworld.Greeter/SayHelloBidiStream", "{}", false);

    assertThat(r.status()).isEqualTo(501);
    assertThat(error(r).get("message").getAsString()).contains("bidirectional stream");
  }

  @ParameterizedTest(name = "h2={0}")
  @ValueSource(booleans = {false, true})
  void traceBetweenClientAndProxy_decodesTheCall(boolean h2) throws Exception {
    ConcurrentLinkedQueue<TraceEvent> events = new ConcurrentLinkedQueue<>();
    try (TraceTap tap =
        TraceTap.start(
            new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("127.0.0.1", port),
            TraceOptions.defaults(),
            events::add)) {
      try (ConnectCurl c =
          ConnectCurl.post(
              tap.address().getPort(),
              SAY_HELLO,
              "application/json",
              utf8("{\"name\":\"t\"}"),
              h2)) {
        assertThat(c.finish().status()).isEqualTo(200);
      }
      await().until(() -> events.stream().anyMatch(e -> e.kind() == TraceEvent.Kind.CALL));
    }
    assertThat(
            events.stream()
                .filter(e -> e.kind() == TraceEvent.Kind.MESSAGE)
                .flatMap(e -> e.details().stream()))
        .contains("json: {\"name\":\"t\"}", "json: {\"message\":\"Hello, t!\"}");
    assertThat(
            events.stream()
                .filter(e -> e.kind() == TraceEvent.Kind.CALL)
                .findFirst()
                .orElseThrow()
                .headline())
        .startsWith(SAY_HELLO + " OK in ");
    assertThat(events.stream().filter(e -> e.kind() == TraceEvent.Kind.DIAGNOSIS)).isEmpty();
  }
}
