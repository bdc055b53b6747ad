package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static dev.ferry.proxy.e2e.ProxyFixture.clusterWithRetries;
import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.accesslog.AccessLogEntry;
import dev.ferry.proxy.accesslog.AccessLogs;
import dev.ferry.proxy.config.AccessLogConfig.Format;
import dev.ferry.proxy.config.AclConfig;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.DirectReply;
import dev.ferry.proxy.config.HeaderRules;
import dev.ferry.proxy.config.RateLimitConfig;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.config.RouteMatch;
import dev.ferry.proxy.config.RoutePolicy;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import dev.ferry.testservers.helloworld.VoteRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.netty.handler.codec.http2.Http2Headers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every way a call ends, end to end: the reason and detail the client gets (grpc-message and the
 * ferry-local-reply trailer) and the access log's line, in text and JSON.
 */
class EndReasonsTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private final AccessLogAndShutdownTest.QueueLog log = new AccessLogAndShutdownTest.QueueLog();

  /** One access-log entry, as both formats print it. */
  private record Logged(AccessLogEntry entry, String text, String json) {}

  private Logged nextLine() throws InterruptedException {
    AccessLogEntry e = log.entries.poll(20, TimeUnit.SECONDS);
    assertThat(e).as("an access-log entry").isNotNull();
    return new Logged(e, AccessLogs.line(Format.TEXT, e), AccessLogs.line(Format.JSON, e));
  }

  private static void assertLogged(Logged l, String reason, String detail) {
    assertLogged(l.entry(), reason, detail);
  }

  /** {@code e}'s text line and JSON object name {@code reason} and {@code detail} (ASCII). */
  static void assertLogged(AccessLogEntry e, String reason, String detail) {
    assertThat(AccessLogs.line(Format.TEXT, e))
        .contains(" reason=" + reason + " detail=\"" + detail + "\" ");
    String json = AccessLogs.line(Format.JSON, e);
    assertThat(json).contains("\"reason\":\"" + reason + "\"");
    assertThat(json)
        .contains(detail.isEmpty() ? "\"detail\":null" : "\"detail\":\"" + detail + "\"");
  }

  /** The failure of a SayHello through {@code proxy} with {@code headers} added. */
  private StatusRuntimeException failedHello(ProxyServer proxy, Metadata headers) {
    return catchThrowableOfType(
        StatusRuntimeException.class,
        () ->
            GreeterGrpc.newBlockingStub(fixture.channel(proxy))
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .sayHello(HelloRequest.newBuilder().setName("a").build()));
  }

  private static void assertReply(
      StatusRuntimeException e, Status.Code code, String reason, String detail) {
    assertThat(e).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(code);
    assertThat(e.getStatus().getDescription()).isEqualTo(detail);
    assertThat(e.getTrailers().get(GrpcCallShapesTest.LOCAL_REPLY)).isEqualTo(reason);
  }

  private ProxyServer greeterProxy(RouteConfig route, ClusterConfig cluster) throws Exception {
    return fixture.proxy(config(List.of(route), cluster), log);
  }

  private ClusterConfig greeter() throws Exception {
    ExampleServer g = fixture.example(ExampleServer.Kind.GREETER);
    return cluster("greeter", BalancePolicy.ROUND_ROBIN, g.address().getPort());
  }

  private static RouteConfig greeterRoute(RoutePolicy policy, Duration maxTimeout) {
    return new RouteConfig(
        new RouteMatch("helloworld.Greeter", null, null, null, List.of()),
        "greeter",
        null,
        HeaderRules.NONE,
        HeaderRules.NONE,
        maxTimeout,
        policy);
  }

  @Test
  void answeredCall_isOk_withoutDetail() throws Exception {
    ProxyServer proxy = greeterProxy(service("helloworld.Greeter", "greeter"), greeter());
    GreeterGrpc.newBlockingStub(fixture.channel(proxy))
        .sayHello(HelloRequest.newBuilder().setName("a").build());
    Logged l = nextLine();
    assertThat(l.text()).contains("grpc=OK(0) reason=ok detail=\"\" upstream=127.0.0.1:");
    assertLogged(l, "ok", "");
  }

  @Test
  void backendsOwnError_isUpstream_namingStatusEndpointAndMessage() throws Exception {
    ClusterConfig c = greeter();
    ProxyServer proxy = greeterProxy(service("helloworld.Greeter", "greeter"), c);
    Metadata fail = new Metadata();
    fail.put(Metadata.Key.of("x-fail-status", Metadata.ASCII_STRING_MARSHALLER), "14");
    fail.put(Metadata.Key.of("x-fail-message", Metadata.ASCII_STRING_MARSHALLER), "backend no");
    StatusRuntimeException e = failedHello(proxy, fail);
    assertThat(e.getStatus().getDescription()).isEqualTo("backend no");
    assertThat(e.getTrailers().get(GrpcCallShapesTest.LOCAL_REPLY)).isNull();
    int port = c.endpoints().get(0).port();
    assertLogged(nextLine(), "upstream", "UNAVAILABLE(14) from 127.0.0.1:" + port + ": backend no");
  }

  @Test
  void unknownService_isNoRoute_namingThePath() throws Exception {
    ProxyServer proxy = greeterProxy(service("helloworld.Greeter", "greeter"), greeter());
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                DaininkiGrpc.newBlockingStub(fixture.channel(proxy))
                    .vote(VoteRequest.newBuilder().build()));
    String detail = "ferry: no route for /helloworld.Daininki/Vote";
    assertReply(e, Status.Code.UNIMPLEMENTED, "no_route", detail);
    assertLogged(nextLine(), "no_route", detail);
  }

  @Test
  void grpcToAnHttp1Cluster_isNoRoute_sayingWhyNotThatNoneMatched() throws Exception {
    ClusterConfig rest =
        cluster("rest", BalancePolicy.ROUND_ROBIN, fixture.refusedPort()).toBuilder()
            .protocol(ClusterConfig.Protocol.HTTP1)
            .build();
    RouteConfig all =
        ProxyFixture.route(new RouteMatch(null, null, "/", null, List.of()), "rest", null);
    ProxyServer proxy = fixture.proxy(config(List.of(all), rest), log);
    StatusRuntimeException e = failedHello(proxy, new Metadata());
    String detail =
        "ferry: no gRPC route for /helloworld.Greeter/SayHello: the matching route leads to"
            + " HTTP/1.1 cluster 'rest', which cannot carry gRPC";
    assertReply(e, Status.Code.UNIMPLEMENTED, "no_route", detail);
    assertThat(detail).doesNotContain("no route matched");
    assertLogged(nextLine(), "no_route", detail);
  }

  @Test
  void everyEndpointRefusing_isConnectFailed_namingEachEndpoint() throws Exception {
    int dead1 = fixture.refusedPort();
    int dead2 = fixture.refusedPort();
    ClusterConfig c = clusterWithRetries("greeter", BalancePolicy.ROUND_ROBIN, 1, dead1, dead2);
    ProxyServer proxy = greeterProxy(service("helloworld.Greeter", "greeter"), c);
    StatusRuntimeException e = failedHello(proxy, new Metadata());
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getTrailers().get(GrpcCallShapesTest.LOCAL_REPLY)).isEqualTo("connect_failed");
    String detail = e.getStatus().getDescription();
    assertThat(detail)
        .startsWith("ferry: cluster 'greeter': connect to 127.0.0.1:")
        .contains("connect to 127.0.0.1:" + dead1 + " refused")
        .contains("connect to 127.0.0.1:" + dead2 + " refused")
        .contains("; ");
    assertLogged(nextLine(), "connect_failed", detail);
  }

  @Test
  void routesCapPassing_isDeadlineExceeded_namingWhoseDeadline() throws Exception {
    ProxyServer proxy = greeterProxy(greeterRoute(null, Duration.ofMillis(200)), greeter());
    Metadata slow = new Metadata();
    slow.put(Metadata.Key.of("x-delay-ms", Metadata.ASCII_STRING_MARSHALLER), "10000");
    StatusRuntimeException e = failedHello(proxy, slow);
    String detail =
        "ferry: deadline of 200ms exceeded in the proxy (the route's timeout.max, cluster"
            + " 'greeter'); no response headers had arrived";
    assertReply(e, Status.Code.DEADLINE_EXCEEDED, "deadline_exceeded", detail);
    assertLogged(nextLine(), "deadline_exceeded", detail);
  }

  @Test
  void routeAcl_isAccessDenied_namingRouteAndRule() throws Exception {
    RoutePolicy deny =
        new RoutePolicy(new AclConfig(List.of(), List.of("127.0.0.0/8"), List.of()), null, 0);
    ProxyServer proxy = greeterProxy(greeterRoute(deny, null), greeter());
    StatusRuntimeException e = failedHello(proxy, new Metadata());
    String detail =
        "ferry: route 'helloworld.Greeter': client address 127.0.0.1 is denied (127.0.0.0/8)";
    assertReply(e, Status.Code.PERMISSION_DENIED, "access_denied", detail);
    assertLogged(nextLine(), "access_denied", detail);
  }

  @Test
  void rateLimit_isRateLimited_namingRuleKeyAndRetryAfter() throws Exception {
    RateLimitConfig once =
        new RateLimitConfig(1, Duration.ofHours(1), 1, RateLimitConfig.Key.HEADER, "x-api-key");
    ProxyServer proxy = greeterProxy(greeterRoute(new RoutePolicy(null, once, 0), null), greeter());
    GreeterGrpc.newBlockingStub(fixture.channel(proxy))
        .sayHello(HelloRequest.newBuilder().setName("a").build());
    assertLogged(nextLine(), "ok", "");
    StatusRuntimeException e = failedHello(proxy, new Metadata());
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getTrailers().get(GrpcCallShapesTest.LOCAL_REPLY)).isEqualTo("rate_limited");
    String detail = e.getStatus().getDescription();
    assertThat(detail)
        .matches(
            "ferry: rate limit 1/h of route helloworld.Greeter exceeded; retry after \\d+ms"
                + " \\(key: header x-api-key\\)");
    assertLogged(nextLine(), "rate_limited", detail);
  }

  @Test
  void bigMessage_isMessageTooLarge_namingDirectionLimitAndSize() throws Exception {
    ProxyServer proxy =
        greeterProxy(greeterRoute(new RoutePolicy(null, null, 10), null), greeter());
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                GreeterGrpc.newBlockingStub(fixture.channel(proxy))
                    .sayHello(HelloRequest.newBuilder().setName("x".repeat(100)).build()));
    String detail = "ferry: request message of 102 bytes exceeds the route's limit of 10 bytes";
    assertReply(e, Status.Code.RESOURCE_EXHAUSTED, "message_too_large", detail);
    assertLogged(nextLine(), "message_too_large", detail);
  }

  @Test
  void directReply_isDirectReply_namingTheRoute() throws Exception {
    RouteConfig fixed =
        new RouteConfig(
            new RouteMatch("helloworld.Greeter", null, null, null, List.of()),
            null,
            new DirectReply(Status.Code.UNAVAILABLE.value(), 503, "down for maintenance"),
            HeaderRules.NONE,
            HeaderRules.NONE,
            null);
    ProxyServer proxy = fixture.proxy(config(List.of(fixed)), log);
    StatusRuntimeException e = failedHello(proxy, new Metadata());
    assertReply(e, Status.Code.UNAVAILABLE, "direct_reply", "down for maintenance");
    assertLogged(
        nextLine(), "direct_reply", "route 'helloworld.Greeter' answers with its direct reply");
  }

  @Test
  void requestEndingInsideAMessage_isProtocolError_byTheClient() throws Exception {
    ProxyServer proxy = greeterProxy(service("helloworld.Greeter", "greeter"), greeter());
    try (RawHttp2Client c = new RawHttp2Client(proxy.boundAddresses().get(0).getPort())) {
      // A length prefix promising 10 bytes, then two, then the end of the request.
      byte[] partial = {0, 0, 0, 0, 10, 1, 2};
      c.preface().headers(1, RawHttp2Client.sayHello(), false).frame(0x0, 0x1, 1, partial).flush();
      Http2Headers reply = c.decodeHeaders(c.await(RawHttp2Client.HEADERS));
      assertThat(reply.get("grpc-status").toString()).isEqualTo("13");
      assertThat(reply.get("ferry-local-reply").toString()).isEqualTo("protocol_error");
      assertThat(reply.get("grpc-message").toString())
          .startsWith("ferry: protocol error by the client");
    }
    Logged l = nextLine();
    assertThat(l.entry().reason()).isEqualTo("protocol_error");
    assertLogged(l, "protocol_error", l.entry().detail());
    assertThat(l.entry().detail()).contains("request ended inside a gRPC message");
  }

  @Test
  void clientResetRightAfterHeaders_isOneLine_clientCancelled() throws Exception {
    ProxyServer proxy = greeterProxy(service("helloworld.Greeter", "greeter"), greeter());
    try (RawHttp2Client c = new RawHttp2Client(proxy.boundAddresses().get(0).getPort())) {
      // grpc-go's interop case cancel_after_begin: HEADERS, then RST_STREAM CANCEL at once.
      c.preface().headers(1, RawHttp2Client.sayHello(), false).rst(1).flush();
      Logged l = nextLine();
      assertThat(l.entry().path()).isEqualTo("/helloworld.Greeter/SayHello");
      assertThat(l.entry().reason()).isEqualTo("client_cancelled");
      assertThat(l.entry().detail()).startsWith("the client reset the stream (RST_STREAM CANCEL) ");
      assertLogged(l, "client_cancelled", l.entry().detail());
      // A later stream on the same connection (the same event loop, so its line comes after any
      // other of stream 1) is the next line: stream 1 left exactly one.
      Http2Headers other = RawHttp2Client.sayHello().path("/helloworld.Nope/X");
      c.headers(3, other, true).flush();
      c.await(RawHttp2Client.HEADERS);
      Logged next = nextLine();
      assertThat(next.entry().path()).isEqualTo("/helloworld.Nope/X");
      assertThat(log.entries).isEmpty();
    }
  }

  @Test
  void reflectionAnsweredByFerry_countsItsBytes_andIsOk() throws Exception {
    ProxyServer proxy = greeterProxy(service("helloworld.Greeter", "greeter"), greeter());
    LinkedBlockingQueue<ServerReflectionResponse> answers = new LinkedBlockingQueue<>();
    CountDownLatch done = new CountDownLatch(1);
    StreamObserver<ServerReflectionRequest> req =
        ServerReflectionGrpc.newStub(fixture.channel(proxy))
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse r) {
                    answers.add(r);
                  }

                  @Override
                  public void onError(Throwable t) {
                    done.countDown();
                  }

                  @Override
                  public void onCompleted() {
                    done.countDown();
                  }
                });
    req.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    assertThat(answers.poll(20, TimeUnit.SECONDS)).isNotNull();
    req.onCompleted();
    assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
    Logged l = nextLine();
    assertThat(l.entry().path())
        .isEqualTo("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo");
    assertThat(l.entry().upstream()).isEqualTo("ferry");
    assertThat(l.entry().bytesOut()).isPositive();
    assertLogged(l, "ok", "");
  }

  @Test
  void clientClosingTheConnection_isClientCancelled_sayingSo() throws Exception {
    ExampleServer g = fixture.example(ExampleServer.Kind.GREETER);
    ProxyServer proxy =
        greeterProxy(
            service("helloworld.Greeter", "greeter"),
            cluster("greeter", BalancePolicy.ROUND_ROBIN, g.address().getPort()));
    try (RawHttp2Client c = new RawHttp2Client(proxy.boundAddresses().get(0).getPort())) {
      Http2Headers slow = RawHttp2Client.sayHello().set("x-delay-ms", "10000");
      c.preface().headers(1, slow, false).flush();
      // Not a bare close: with the proxy's SETTINGS unread it is a reset, which can reach the
      // proxy before the HEADERS do, and then no call was ever made.
      c.endOutput();
      assertThat(c.awaitClose()).as("the proxy closes its side").isTrue();
    }
    Logged l = nextLine();
    assertThat(l.entry().reason()).isEqualTo("client_cancelled");
    assertThat(l.entry().detail()).startsWith("the client closed the connection ");
    assertLogged(l, "client_cancelled", l.entry().detail());
  }
}
