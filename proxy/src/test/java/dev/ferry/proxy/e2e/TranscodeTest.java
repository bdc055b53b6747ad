package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.accesslog.AccessLogEntry;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.HeaderMatch;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.config.RouteMatch;
import dev.ferry.testservers.ExampleServer;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.util.MutableHandlerRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP/JSON transcoding by {@code google.api.http}, driven with curl through ferry serve in front
 * of real gRPC servers whose rules ferry learns by their server reflection: every kind of binding,
 * well-known types, errors of the backend and of ferry as google.rpc.Status JSON, bad input, a
 * request no rule fits, a method that appears later, and a reload.
 */
class TranscodeTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private final ConcurrentLinkedQueue<AccessLogEntry> logged = new ConcurrentLinkedQueue<>();
  private final MutableHandlerRegistry services = new MutableHandlerRegistry();
  private ServerServiceDefinition things = ThingsService.define(false);
  private int greeterPort;
  private int refused;
  private ProxyServer proxy;
  private int port;

  @BeforeEach
  void setUp() throws Exception {
    services.addService(things);
    greeterPort = fixture.example(ExampleServer.Kind.GREETER).address().getPort();
    refused = fixture.refusedPort();
    AccessLog log =
        new AccessLog() {
          @Override
          public void log(AccessLogEntry entry) {
            logged.add(entry);
          }

          @Override
          public void close() {}
        };
    proxy = fixture.proxy(routedTo(start(services)), log);
    port = proxy.boundAddresses().get(0).getPort();
  }

  private int start(MutableHandlerRegistry registry) throws IOException {
    Server s =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .fallbackHandlerRegistry(registry)
            .addService(ProtoReflectionServiceV1.newInstance())
            .build()
            .start();
    fixture.closeLater(() -> s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return s.getPort();
  }

  /** Things at {@code thingsPort}; with {@code x-backend: gone}, to a backend that is down. */
  private ProxyConfig routedTo(int thingsPort) {
    RouteConfig gone =
        ProxyFixture.route(
            new RouteMatch(
                ThingsService.SERVICE,
                null,
                null,
                null,
                List.of(new HeaderMatch("x-backend", "gone", null, null))),
            "gone",
            null);
    return config(
        List.of(
            gone,
            ProxyFixture.service(ThingsService.SERVICE, "things"),
            ProxyFixture.service("helloworld.Greeter", "greeter")),
        ProxyFixture.cluster("things", BalancePolicy.ROUND_ROBIN, thingsPort),
        ProxyFixture.cluster("greeter", BalancePolicy.ROUND_ROBIN, greeterPort),
        ProxyFixture.cluster("gone", BalancePolicy.ROUND_ROBIN, refused));
  }

  private ConnectCurl.Response send(
      String method, String pathAndQuery, String json, boolean h2, String... headers)
      throws Exception {
    try (ConnectCurl c = ConnectCurl.request(port, method, pathAndQuery, json, h2, headers)) {
      return c.finish();
    }
  }

  private ConnectCurl.Response get(String pathAndQuery) throws Exception {
    return send("GET", pathAndQuery, null, false);
  }

  private static JsonObject json(ConnectCurl.Response r) {
    assertThat(r.headers()).containsEntry("content-type", "application/json");
    return JsonParser.parseString(r.text()).getAsJsonObject();
  }

  @ParameterizedTest(name = "h2={0}")
  @ValueSource(booleans = {false, true})
  void getWithAPathVariable_callsTheAnnotatedMethod(boolean h2) throws Exception {
    ConnectCurl.Response r = send("GET", "/v1/greeter/ferry", null, h2);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers()).containsEntry("content-type", "application/json");
    assertThat(r.text()).isEqualTo("{\"message\":\"Hello, ferry!\"}");
    await().until(() -> !logged.isEmpty());
    assertThat(logged)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.bridge()).isEqualTo("http-json");
              assertThat(e.path()).isEqualTo("/helloworld.Greeter/SayHelloHttp");
              assertThat(e.httpStatus()).isEqualTo(200);
              assertThat(e.reason()).isEqualTo("ok");
            });
    assertThat(proxy.meters().scrape())
        .contains("ferry_calls_by_protocol_total{protocol=\"http-json\"} 1.0");
  }

  @Test
  void postWithTheWholeBody_andAnAdditionalBinding() throws Exception {
    ConnectCurl.Response r = send("POST", "/v1/greeter:sayHello", "{\"name\":\"body\"}", false);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).isEqualTo("{\"message\":\"Hello, body!\"}");

    ConnectCurl.Response t =
        send(
            "POST",
            "/v1/things",
            "{\"name\":\"n\",\"at\":\"2024-05-06T07:08:09Z\",\"wait\":\"1.5s\",\"limit\":\"7\"}",
            true);
    assertThat(t.status()).isEqualTo(200);
    assertThat(t.text())
        .isEqualTo(
            "{\"name\":\"n\",\"at\":\"2024-05-06T07:08:09Z\",\"wait\":\"1.500s\",\"limit\":\"7\"}");
  }

  @Test
  void bodyField_pathVariableAndQuery_makeOneMessage() throws Exception {
    ConnectCurl.Response r =
        send(
            "PATCH",
            "/v1/things/t1/part?count=2&tags=a&tags=b",
            "{\"id\":\"p\",\"size\":4}",
            false);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text())
        .isEqualTo(
            "{\"name\":\"t1\",\"part\":{\"id\":\"p\",\"size\":\"4\"},\"tags\":[\"a\",\"b\"],"
                + "\"count\":2}");
  }

  @Test
  void queryParameters_nestedRepeatedAndWellKnownTypes() throws Exception {
    ConnectCurl.Response r =
        get(
            "/v1/things/t%201?part.id=p&part.size=5&tags=x&tags=y&at=2024-05-06T07:08:09Z"
                + "&mask=name,part.id");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text())
        .isEqualTo(
            "{\"name\":\"t 1\",\"part\":{\"id\":\"p\",\"size\":\"5\"},\"tags\":[\"x\",\"y\"],"
                + "\"at\":\"2024-05-06T07:08:09Z\",\"mask\":\"name,part.id\"}");
  }

  @Test
  void responseBody_answersThatFieldOnly() throws Exception {
    ConnectCurl.Response r = get("/v1/parts/p9?part.size=3");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).isEqualTo("{\"id\":\"p9\",\"size\":\"3\"}");
  }

  @Test
  void backendError_isRpcStatusJsonWithItsHttpStatusAndDetails() throws Exception {
    ConnectCurl.Response r = get("/v1/fail/t1");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.headers()).doesNotContainKey("ferry-local-reply");
    JsonObject e = json(r);
    assertThat(e.get("code").getAsInt()).isEqualTo(5);
    assertThat(e.get("message").getAsString()).isEqualTo("no thing t1");
    JsonObject detail = e.getAsJsonArray("details").get(0).getAsJsonObject();
    assertThat(detail.get("@type").getAsString())
        .isEqualTo("type.googleapis.com/google.rpc.ErrorInfo");
    assertThat(detail.get("reason").getAsString()).isEqualTo("THING_MISSING");
  }

  @ParameterizedTest(name = "h2={0}")
  @ValueSource(booleans = {false, true})
  void ferrysOwnReply_backendDown_isJson503(boolean h2) throws Exception {
    ConnectCurl.Response r = send("GET", "/v1/things/t1", null, h2, "x-backend: gone");

    assertThat(r.status()).isEqualTo(503);
    assertThat(r.headers()).containsEntry("ferry-local-reply", "connect_failed");
    JsonObject e = json(r);
    assertThat(e.get("code").getAsInt()).isEqualTo(14);
    assertThat(e.get("message").getAsString()).startsWith("ferry: ");
    assertThat(e.getAsJsonArray("details")).isEmpty();
  }

  @ParameterizedTest(name = "h2={0}")
  @ValueSource(booleans = {false, true})
  void serverStream_isNewlineDelimitedJson(boolean h2) throws Exception {
    ConnectCurl.Response r = send("GET", "/v1/things/s:repeat?count=2", null, h2);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers()).containsEntry("content-type", "application/x-ndjson");
    assertThat(r.text())
        .isEqualTo(
            "{\"result\":{\"name\":\"s\",\"count\":2}}\n"
                + "{\"result\":{\"name\":\"s\",\"count\":2}}\n");
  }

  @Test
  void serverStreamThatFails_endsWithAnErrorLine_orIsAnErrorBeforeAnyMessage() throws Exception {
    ConnectCurl.Response late = get("/v1/things/s:repeat?count=1&tags=fail");
    assertThat(late.status()).isEqualTo(200);
    assertThat(late.text())
        .isEqualTo(
            "{\"result\":{\"name\":\"s\",\"tags\":[\"fail\"],\"count\":1}}\n"
                + "{\"error\":{\"code\":10,\"message\":\"enough\",\"details\":[]}}\n");

    ConnectCurl.Response early = get("/v1/things/s:repeat?count=0&tags=fail");
    assertThat(early.status()).isEqualTo(409);
    assertThat(json(early).get("message").getAsString()).isEqualTo("enough");
  }

  @Test
  void headersAreMetadata_soTheGreetersFaultInjectionWorks() throws Exception {
    ConnectCurl.Response r =
        send("GET", "/v1/greeter/x", null, false, "x-fail-status: 5", "x-fail-message: gone");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.text()).isEqualTo("{\"code\":5,\"message\":\"gone\",\"details\":[]}");
  }

  @Test
  void malformedJson_is400SayingWhat() throws Exception {
    ConnectCurl.Response r = send("POST", "/v1/things", "{\"name\":", false);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.headers()).containsEntry("ferry-local-reply", "bad_request");
    JsonObject e = json(r);
    assertThat(e.get("code").getAsInt()).isEqualTo(3);
    assertThat(e.get("message").getAsString())
        .startsWith("ferry: HTTP/JSON request for ferrytest.Things/Create: the body is not JSON");
  }

  @Test
  void valuesThatDoNotFit_are400NamingWhere() throws Exception {
    ConnectCurl.Response unknown = get("/v1/things/t1?colour=red");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(json(unknown).get("message").getAsString())
        .contains("unknown query parameter colour: ferrytest.Thing has no field colour");

    ConnectCurl.Response notANumber = get("/v1/parts/p?part.size=big");
    assertThat(notANumber.status()).isEqualTo(400);
    assertThat(json(notANumber).get("message").getAsString())
        .contains("query parameter part.size: 'big' is not a value of ferrytest.Part.size (int64)");
  }

  @Test
  void requestNoRuleFits_isServedAsBefore() throws Exception {
    ConnectCurl.Response r = get("/v2/nothing/here");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.headers()).containsEntry("ferry-local-reply", "no_route");
    assertThat(r.text()).contains("no route for /v2/nothing/here");
    await().until(() -> !logged.isEmpty());
    assertThat(logged.peek().bridge()).isNull();
  }

  /**
   * Each event loop keeps its own tables, and connections are spread over the loops in turn: enough
   * calls, each on a connection of its own, fill every loop's.
   */
  private void warmEveryLoop() throws Exception {
    for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
      assertThat(get("/v1/things/old").text()).isEqualTo("{\"name\":\"old\"}");
    }
  }

  @Test
  void methodAddedToTheBackend_isFoundByAskingAgain() throws Exception {
    warmEveryLoop();

    // The backend is redeployed with a new annotated method: a request no rule fits asks again.
    services.removeService(things);
    things = ThingsService.define(true);
    services.addService(things);

    ConnectCurl.Response r = get("/v1/added/a1");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).isEqualTo("{\"name\":\"a1\"}");
  }

  @Test
  void reload_dropsTheRulesOfTheOldBackends() throws Exception {
    warmEveryLoop();
    // Things' cluster is now a backend without the service: its rules go with the old one.
    MutableHandlerRegistry empty = new MutableHandlerRegistry();
    proxy.reload(routedTo(start(empty)));

    ConnectCurl.Response r = get("/v1/things/t1");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.headers()).containsEntry("ferry-local-reply", "no_route");
  }
}
