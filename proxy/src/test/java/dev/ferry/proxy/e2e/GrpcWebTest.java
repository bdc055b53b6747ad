package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.net.InetSocketAddress;
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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * gRPC-Web through ferry with curl as the client, binary and text, over HTTP/1.1 and HTTP/2: the
 * answers, a server stream passed on as it comes, and every kind of error in the trailer frame (or
 * the headers of a Trailers-Only answer).
 */
class GrpcWebTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private final ConcurrentLinkedQueue<AccessLogEntry> logged = new ConcurrentLinkedQueue<>();
  private final CountDownLatch sendLast = new CountDownLatch(1);
  private ProxyServer proxy;
  private int port;

  @BeforeEach
  void setUp() throws Exception {
    ExampleServer greeter = fixture.example(ExampleServer.Kind.GREETER);
    Server gated =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new GatedGreeter(sendLast))
            .build()
            .start();
    fixture.closeLater(
        () -> {
          sendLast.countDown();
          gated.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        });
    int closedPort = fixture.refusedPort();
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
                    ProxyFixture.route(
                        new RouteMatch(
                            null, "helloworld.Greeter/SayHelloStreamReply", null, null, List.of()),
                        "gated",
                        null),
                    service("helloworld.Greeter", "greeter"),
                    service("helloworld.Daininki", "gone")),
                ProxyFixture.cluster(
                    "greeter", BalancePolicy.ROUND_ROBIN, greeter.address().getPort()),
                ProxyFixture.cluster("gone", BalancePolicy.ROUND_ROBIN, closedPort),
                ProxyFixture.cluster("gated", BalancePolicy.ROUND_ROBIN, gated.getPort())),
            log);
    port = proxy.boundAddresses().get(0).getPort();
  }

  private static byte[] hello(String name) {
    return HelloRequest.newBuilder().setName(name).build().toByteArray();
  }

  private GrpcWebCurl.Response call(String path, boolean text, boolean h2, String... headers)
      throws Exception {
    try (GrpcWebCurl c = GrpcWebCurl.post(port, path, hello("web"), text, h2, headers)) {
      return c.finish();
    }
  }

  @ParameterizedTest(name = "text={0} h2={1}")
  @CsvSource({"false,false", "false,true", "true,false", "true,true"})
  void unary_answersWithMessageAndTrailerFrame(boolean text, boolean h2) throws Exception {
    GrpcWebCurl.Response r = call("/helloworld.Greeter/SayHello", text, h2);

    assertThat(r.headers()).containsEntry(":status", "200");
    assertThat(r.headers().get("content-type"))
        .isEqualTo(text ? "application/grpc-web-text+proto" : "application/grpc-web+proto");
    assertThat(r.messages()).hasSize(1);
    assertThat(HelloReply.parseFrom(r.messages().get(0)).getMessage()).isEqualTo("Hello, web!");
    assertThat(r.trailers()).containsEntry("grpc-status", "0");
    // The entry is left when the stream closes, which may come just after curl has its answer.
    await().until(() -> !logged.isEmpty());
    assertThat(logged)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.bridge()).isEqualTo(text ? "grpc-web-text" : "grpc-web");
              assertThat(e.protocol()).isEqualTo(h2 ? "HTTP/2" : "HTTP/1.1");
              assertThat(e.reason()).isEqualTo("ok");
            });
    assertThat(proxy.meters().scrape())
        .contains(
            "ferry_calls_by_protocol_total{protocol=\""
                + (text ? "grpc-web-text" : "grpc-web")
                + "\"} 1.0");
  }

  @ParameterizedTest(name = "text={0} h2={1}")
  @CsvSource({"false,false", "false,true", "true,false", "true,true"})
  void serverStream_reachesClientAsItIsSent(boolean text, boolean h2) throws Exception {
    try (GrpcWebCurl c =
        GrpcWebCurl.post(port, "/helloworld.Greeter/SayHelloStreamReply", hello("s"), text, h2)) {
      byte[] first = c.nextFrame();
      // The backend still holds its last message: the first one came through on its own.
      assertThat(sendLast.getCount()).isEqualTo(1);
      assertThat(first[0]).isZero();
      assertThat(
              HelloReply.parseFrom(java.util.Arrays.copyOfRange(first, 5, first.length))
                  .getMessage())
          .isEqualTo("first s");
      sendLast.countDown();
      GrpcWebCurl.Response rest = c.finish();
      assertThat(rest.messages()).hasSize(1);
      assertThat(HelloReply.parseFrom(rest.messages().get(0)).getMessage()).isEqualTo("last s");
      assertThat(rest.trailers()).containsEntry("grpc-status", "0");
    }
  }

  @ParameterizedTest(name = "text={0} h2={1}")
  @CsvSource({"false,false", "true,true"})
  void backendStatus_travelsInTrailers(boolean text, boolean h2) throws Exception {
    GrpcWebCurl.Response r =
        call(
            "/helloworld.Greeter/SayHello",
            text,
            h2,
            "x-fail-status: 7",
            "x-fail-message: not for you");

    assertThat(r.status()).isEqualTo("7");
    assertThat(r.message()).isEqualTo("not for you");
  }

  @ParameterizedTest(name = "text={0} h2={1}")
  @CsvSource({"false,false", "true,true", "true,false", "false,true"})
  void localReplies_reachTheClientAsGrpcStatus(boolean text, boolean h2) throws Exception {
    GrpcWebCurl.Response noRoute = call("/nowhere.Service/Method", text, h2);
    assertThat(noRoute.status()).isEqualTo("12");
    assertThat(noRoute.headers()).containsEntry("ferry-local-reply", "no_route");
    assertThat(noRoute.message()).contains("no route for /nowhere.Service/Method");

    GrpcWebCurl.Response unavailable = call("/helloworld.Daininki/Vote", text, h2);
    assertThat(unavailable.status()).isEqualTo("14");
    assertThat(unavailable.message()).contains("cluster 'gone'");

    GrpcWebCurl.Response late =
        call("/helloworld.Greeter/SayHello", text, h2, "grpc-timeout: 100m", "x-delay-ms: 10000");
    assertThat(late.status()).isEqualTo("4");
  }

  @ParameterizedTest(name = "text={0} h2={1}")
  @CsvSource({"false,false", "true,false", "true,true"})
  void traceBetweenClientAndProxy_decodesTheCall(boolean text, boolean h2) throws Exception {
    ConcurrentLinkedQueue<TraceEvent> events = new ConcurrentLinkedQueue<>();
    try (TraceTap tap =
        TraceTap.start(
            new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("127.0.0.1", port),
            TraceOptions.defaults(),
            events::add)) {
      GrpcWebCurl.Response r;
      try (GrpcWebCurl c =
          GrpcWebCurl.post(
              tap.address().getPort(), "/helloworld.Greeter/SayHello", hello("web"), text, h2)) {
        r = c.finish();
      }
      assertThat(r.status()).isEqualTo("0");
      await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> events.stream().anyMatch(e -> e.kind() == TraceEvent.Kind.CALL));
    }
    List<String> messages =
        events.stream()
            .filter(e -> e.kind() == TraceEvent.Kind.MESSAGE)
            .flatMap(e -> e.details().stream())
            .toList();
    assertThat(messages).contains("1: \"web\"", "1: \"Hello, web!\"", "grpc-status: 0  ⇒ OK");
    TraceEvent call =
        events.stream().filter(e -> e.kind() == TraceEvent.Kind.CALL).findFirst().orElseThrow();
    assertThat(call.headline()).startsWith("/helloworld.Greeter/SayHello OK in ");
    assertThat(events.stream().filter(e -> e.kind() == TraceEvent.Kind.DIAGNOSIS)).isEmpty();
  }

  @ParameterizedTest(name = "h2={0}")
  @ValueSource(booleans = {false, true})
  void textBody_asTheBase64CommandWritesIt_withItsLineBreak_isRead(boolean h2) throws Exception {
    byte[] text =
        (Base64.getEncoder().encodeToString(GrpcWebCurl.frame(hello("nl"))) + "\n")
            .getBytes(StandardCharsets.US_ASCII);
    try (GrpcWebCurl c =
        GrpcWebCurl.postBody(port, "/helloworld.Greeter/SayHello", text, true, h2)) {
      GrpcWebCurl.Response r = c.finish();
      assertThat(r.status()).isEqualTo("0");
      assertThat(HelloReply.parseFrom(r.messages().get(0)).getMessage()).isEqualTo("Hello, nl!");
    }
  }

  @ParameterizedTest(name = "h2={0}")
  @ValueSource(booleans = {false, true})
  void textBody_thatIsNotBase64_isAnsweredWithWhy(boolean h2) throws Exception {
    byte[] text = "AAAA!!!!".getBytes(StandardCharsets.US_ASCII);
    try (GrpcWebCurl c =
        GrpcWebCurl.postBody(port, "/helloworld.Greeter/SayHello", text, true, h2)) {
      GrpcWebCurl.Response r = c.finish();
      assertThat(r.status()).isEqualTo("13");
      assertThat(r.message()).contains("the application/grpc-web-text body is not base64");
    }
    await().until(() -> !logged.isEmpty());
    assertThat(logged).anySatisfy(e -> assertThat(e.reason()).isEqualTo("bad_request"));
  }

  /**
   * An answer that comes before the request's body (the backend fails the call from its headers)
   * leaves the connection usable: the body that follows is read and dropped, not met with a reset
   * that could destroy the answer, and the next request on the connection is served.
   */
  @Test
  void answerBeforeTheBody_theBodyIsDropped_andTheConnectionGoesOn() throws Exception {
    byte[] frame = GrpcWebCurl.frame(hello("early"));
    String head =
        "POST /helloworld.Greeter/SayHello HTTP/1.1\r\nhost: x\r\n"
            + "content-type: application/grpc-web+proto\r\nx-fail-status: 7\r\n"
            + "x-fail-message: no\r\ncontent-length: "
            + frame.length
            + "\r\n\r\n";
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      java.io.OutputStream out = s.getOutputStream();
      java.io.BufferedReader in =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      List<String> first = responseHead(in);
      assertThat(first).contains("grpc-status: 7");
      // Only now the body: the answer is already out.
      out.write(frame);
      out.write(
          head.replace("x-fail-status: 7", "x-fail-status: 5").getBytes(StandardCharsets.US_ASCII));
      out.write(frame);
      out.flush();
      assertThat(responseHead(in)).contains("grpc-status: 5");
    }
  }

  /** The status line and headers of the next answer, lower-cased, its empty body skipped. */
  private static List<String> responseHead(java.io.BufferedReader in) throws java.io.IOException {
    List<String> lines = new java.util.ArrayList<>();
    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
      lines.add(line.toLowerCase(java.util.Locale.ROOT));
    }
    if (lines.stream().anyMatch(l -> l.equals("transfer-encoding: chunked"))) {
      in.readLine(); // the last chunk: "0"
      in.readLine(); // and the line that ends the body
    }
    return lines;
  }
}
