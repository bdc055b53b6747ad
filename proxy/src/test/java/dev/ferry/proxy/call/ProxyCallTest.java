package dev.ferry.proxy.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.accesslog.AccessLogEntry;
import dev.ferry.proxy.accesslog.UpstreamAttempt;
import dev.ferry.proxy.config.AclConfig;
import dev.ferry.proxy.config.DirectReply;
import dev.ferry.proxy.config.HeaderRules;
import dev.ferry.proxy.config.RateLimitConfig;
import dev.ferry.proxy.config.RetryPolicy;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.config.RouteMatch;
import dev.ferry.proxy.config.RoutePolicy;
import dev.ferry.proxy.metrics.ProxyMeters;
import dev.ferry.proxy.route.RouteTable;
import dev.ferry.proxy.transport.StreamHandler;
import dev.ferry.proxy.upstream.UpstreamFailure;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call's phases driven end to end without sockets: a fake client connection, fake endpoints and
 * their connections, and the event loop's fake clock. Every test ends the call and checks what
 * every call owes: the endpoint and the cluster slot given back, every buffer released, one
 * access-log entry.
 */
class ProxyCallTest {
  private static final String PATH = "/helloworld.Greeter/SayHello";

  private final MockTicker clock = Ticker.newMockTicker();
  private final EmbeddedChannel channel = EmbeddedChannel.builder().ticker(clock).build();
  private final FakeDownstream client = new FakeDownstream(channel);
  private final FakeCluster cluster = new FakeCluster("greeter", channel, 2);
  private final List<AccessLogEntry> log = new ArrayList<>();
  private final List<ByteBuf> buffers = new ArrayList<>();
  private final ProxyMeters meters = new ProxyMeters();
  private final Worker worker =
      new Worker(
          channel.eventLoop(),
          Map.of(),
          new AccessLog() {
            @Override
            public void log(AccessLogEntry entry) {
              log.add(entry);
            }

            @Override
            public void close() {}
          },
          meters);
  private List<RouteConfig> routes = List.of(route("greeter", null, RoutePolicy.NONE, null));
  private StreamHandler call;
  private CallFactory factory; // made at the first call, from the routes the test set

  @AfterEach
  void everyCallPaysItsDebts() {
    if (call != null) {
      call.onDownstreamClosed();
      call.onDownstreamClosed(); // a second close changes nothing
    }
    channel.runPendingTasks();
    for (FakeCluster.Endpoint e : cluster.endpoints) {
      assertThat(e.inFlight).as("calls on " + e.name()).isZero();
    }
    assertThat(cluster.slotsTaken).as("in-flight slots").isZero();
    assertThat(buffers).allSatisfy(b -> assertThat(b.refCnt()).as("refCnt").isZero());
    assertThat(meters.buffered().held()).as("bytes held").isZero();
    assertThat(log).as("access-log entries").hasSize(call == null ? 0 : 1);
    assertThat(channel.finish()).isFalse();
  }

  // Local replies at admission.

  @Test
  void noRoute_isAnsweredUnimplemented() {
    start(request("/other.Service/Call"), true);
    assertTrailersOnly(12, "no_route");
    assertThat(message()).isEqualTo("ferry: no route for /other.Service/Call");
  }

  @Test
  void accessDenied_isAnsweredPermissionDenied() {
    routes =
        List.of(
            route(
                "greeter",
                null,
                new RoutePolicy(
                    new AclConfig(List.of(), List.of("127.0.0.0/8"), List.of()), null, 0),
                null));
    start(request(PATH), true);
    assertTrailersOnly(7, "access_denied");
    assertThat(cluster.endpoint(0).acquires).isZero();
  }

  @Test
  void rateLimited_isAnsweredResourceExhausted_withRetryAfterForHttp() {
    routes =
        List.of(
            route(
                "greeter",
                null,
                new RoutePolicy(
                    null,
                    new RateLimitConfig(
                        1, Duration.ofMinutes(1), 1, RateLimitConfig.Key.GLOBAL, null),
                    0),
                null));
    StreamHandler first = handler(request(PATH), true);
    first.start();
    first.onDownstreamClosed();
    log.clear();
    Http2Headers rest = new DefaultHttp2Headers().method("GET").path(PATH).scheme("http");
    start(rest, true);
    assertThat(client.headers.get(0).status()).hasToString("429");
    assertThat(client.headers.get(0).get("ferry-local-reply")).hasToString("rate_limited");
    assertThat(client.headers.get(0).getInt("retry-after")).isPositive();
    assertThat(client.body).startsWith("ferry: rate limit");
  }

  @Test
  void directReply_isTheRoutesFixedAnswer() {
    routes = List.of(route(null, new DirectReply(14, 503, "down for maintenance"), null, null));
    start(request(PATH), true);
    assertTrailersOnly(14, "direct_reply");
    assertThat(message()).isEqualTo("down for maintenance");
  }

  @Test
  void fullCluster_isAnsweredOverloaded() {
    cluster.full = true;
    start(request(PATH), true);
    assertTrailersOnly(14, "overloaded");
    assertThat(message()).contains("maximum of 1 calls in flight");
  }

  @Test
  void grpcToAnHttp1Cluster_isNoRoute_sayingWhy() {
    cluster.http1 = true;
    start(request(PATH), true);
    assertTrailersOnly(12, "no_route");
    assertThat(message()).contains("HTTP/1.1 cluster 'greeter'");
  }

  // Connecting.

  @Test
  void connectFailureOnEveryEndpoint_isUnavailable_namingEachEndpoint() {
    cluster.connectRetries = 1;
    cluster.endpoint(0).failWith =
        UpstreamFailure.connect("10.0.0.1:50051", new ConnectException("refused"), 1000);
    cluster.endpoint(1).failWith =
        UpstreamFailure.connect("10.0.0.2:50051", new ConnectTimeoutException("slow"), 1000);
    start(request(PATH), true);
    channel.runPendingTasks();
    assertTrailersOnly(14, "connect_failed");
    assertThat(message())
        .isEqualTo(
            "ferry: cluster 'greeter': connect to 10.0.0.1:50051 refused; connect to"
                + " 10.0.0.2:50051 timed out after 1000ms");
    assertThat(cluster.failures)
        .containsExactly(
            "10.0.0.1:50051: connect to 10.0.0.1:50051 refused",
            "10.0.0.2:50051: connect to 10.0.0.2:50051 timed out after 1000ms");
  }

  @Test
  void connectionThatFillsUp_isAskedAgain_thenGivenUp() {
    cluster.endpoint(0).upstream.full = true;
    start(request(PATH), true);
    channel.runPendingTasks();
    assertTrailersOnly(14, "connect_failed");
    assertThat(message()).contains("no connection to 10.0.0.1:50051 takes another stream");
    assertThat(cluster.endpoint(0).acquires).isEqualTo(1 + UpstreamAttempts.MAX_REACQUIRES);
  }

  @Test
  void noEndpointToPick_isNoHealthyUpstream() {
    cluster.endpoints.clear();
    start(request(PATH), true);
    channel.runPendingTasks();
    assertTrailersOnly(14, "no_healthy_upstream");
    assertThat(message()).startsWith("ferry: cluster 'greeter': no endpoint available");
  }

  // Streaming, and how it ends.

  @Test
  void informationalHeaders_areNotTheResponse() {
    start(request(PATH), true);
    channel.runPendingTasks();
    FakeUpstream up = cluster.endpoint(0).upstream;
    up.listener.onResponseHeaders(new DefaultHttp2Headers().status("100"), false);
    assertThat(client.headers).isEmpty();
    assertThat(phase()).isEqualTo(CallPhase.AWAITING_RESPONSE);
    up.listener.onResponseHeaders(trailersOnly(0), true);
    assertThat(client.last().get("grpc-status")).hasToString("0");
  }

  @Test
  void responseEndingWithItsLastMessage_endsTheCall() {
    start(request(PATH), true);
    channel.runPendingTasks();
    FakeUpstream up = cluster.endpoint(0).upstream;
    up.listener.onResponseHeaders(responseHeaders(), false);
    up.listener.onResponseData(grpcMessage("hello"), true);
    assertThat(phase()).isEqualTo(CallPhase.DONE);
    assertThat(client.ended).isTrue();
    assertThat(up.consumed).isEqualTo(10);
    assertThat(cluster.responses).containsExactly(-1);
  }

  @Test
  void dataBeforeHeaders_isAnUpstreamProtocolError_andResetsTheBackend() {
    start(request(PATH), true);
    channel.runPendingTasks();
    FakeUpstream up = cluster.endpoint(0).upstream;
    up.listener.onResponseData(grpcMessage("early"), false);
    assertTrailersOnly(14, "upstream_protocol_error");
    assertThat(message()).contains("10.0.0.1:50051 sent DATA before HEADERS");
    assertThat(up.resets).containsExactly(Http2Error.PROTOCOL_ERROR);
    assertThat(client.body).isEmpty();
  }

  @Test
  void requestEndingInsideAMessage_isTheClientsProtocolError() {
    start(request(PATH), false);
    channel.runPendingTasks();
    ByteBuf cut = Unpooled.buffer().writeByte(0).writeInt(10).writeByte('a');
    buffers.add(cut);
    call.onRequestData(cut, true);
    assertTrailersOnly(13, "protocol_error");
    assertThat(cluster.endpoint(0).upstream.resets).containsExactly(Http2Error.CANCEL);
    assertThat(client.consumed).isEqualTo(6);
  }

  @Test
  void normalCompletion_passesHeadersMessagesAndTrailers() {
    start(request(PATH), false);
    call.onRequestData(grpcMessage("hi"), true);
    channel.runPendingTasks();
    FakeUpstream up = cluster.endpoint(0).upstream;
    assertThat(up.body.toString()).endsWith("hi");
    assertThat(up.requestEnded).isTrue();
    assertThat(client.consumed).isEqualTo(7);
    assertThat(phase()).isEqualTo(CallPhase.AWAITING_RESPONSE);

    up.listener.onResponseHeaders(responseHeaders(), false);
    assertThat(phase()).isEqualTo(CallPhase.STREAMING);
    up.listener.onResponseData(grpcMessage("hello"), false);
    up.listener.onResponseHeaders(trailers(0), true);

    assertThat(client.headers).hasSize(2);
    assertThat(client.headers.get(0).status()).hasToString("200");
    assertThat(client.body.toString()).endsWith("hello");
    assertThat(client.last().get("grpc-status")).hasToString("0");
    assertThat(client.last().get("ferry-local-reply")).isNull();
    assertThat(up.consumed).isEqualTo(10);
    assertThat(up.resets).isEmpty();
    assertThat(phase()).isEqualTo(CallPhase.DONE);
    assertThat(cluster.responses).containsExactly(0);
    assertThat(cluster.endpoint(0).inFlight).isZero();
    call.onDownstreamClosed();
    assertThat(log.get(0).grpcStatus()).isZero();
    assertThat(log.get(0).upstream()).isEqualTo("10.0.0.1:50051");
    assertThat(log.get(0).localReply()).isNull();
  }

  @Test
  void slowClient_holdsTheBackendsBytesUnacknowledged() {
    start(request(PATH), true);
    channel.runPendingTasks();
    FakeUpstream up = cluster.endpoint(0).upstream;
    client.holdWrites = true;
    up.listener.onResponseHeaders(responseHeaders(), false);
    up.listener.onResponseData(grpcMessage("hello"), false);
    assertThat(up.consumed).isZero();
    assertThat(meters.buffered().held()).isEqualTo(10);
    client.takeHeldWrites();
    assertThat(up.consumed).isEqualTo(10);
    up.listener.onResponseHeaders(trailers(0), true);
  }

  @Test
  void upstreamResetBeforeHeaders_isUnavailable_asTrailersOnly() {
    start(request(PATH), true);
    channel.runPendingTasks();
    cluster
        .endpoint(0)
        .upstream
        .listener
        .onUpstreamFailed(
            UpstreamFailure.of(UpstreamFailure.Kind.STREAM_RESET, "reset by backend (CANCEL)"));
    assertTrailersOnly(14, "upstream_reset");
    assertThat(message())
        .isEqualTo(
            "ferry: cluster 'greeter': 10.0.0.1:50051: reset by backend (CANCEL), after the whole"
                + " request had been sent (headers, no body)");
    assertThat(cluster.failures).hasSize(1);
  }

  @Test
  void upstreamResetAfterHeaders_endsWithTrailers() {
    start(request(PATH), true);
    channel.runPendingTasks();
    FakeUpstream up = cluster.endpoint(0).upstream;
    up.listener.onResponseHeaders(responseHeaders(), false);
    up.listener.onUpstreamFailed(
        UpstreamFailure.of(UpstreamFailure.Kind.CONNECTION_LOST, "connection to backend lost"));
    assertThat(client.headers).hasSize(2);
    assertThat(client.headerEnds).containsExactly(false, true);
    assertThat(client.last().get("grpc-status")).hasToString("14");
    assertThat(client.last().get("ferry-local-reply")).hasToString("upstream_reset");
  }

  @Test
  void refusedStreamAfterHeaders_isNotReplayed() {
    cluster.connectRetries = 1;
    start(request(PATH), true);
    channel.runPendingTasks();
    FakeUpstream up = cluster.endpoint(0).upstream;
    up.listener.onResponseHeaders(responseHeaders(), false);
    up.listener.onUpstreamFailed(
        UpstreamFailure.of(UpstreamFailure.Kind.STREAM_REFUSED, "refused (GOAWAY)"));
    assertThat(client.headerEnds).containsExactly(false, true);
    assertThat(client.last().get("ferry-local-reply")).hasToString("upstream_reset");
    assertThat(cluster.endpoint(1).acquires).isZero();
  }

  @Test
  void backendCancellingAtTheDeadline_isDeadlineExceeded_notAReset() {
    start(request(PATH).set("grpc-timeout", "100m"), true);
    channel.runPendingTasks();
    clock.advance(99, TimeUnit.MILLISECONDS); // within the slack of the proxy's own timer
    cluster
        .endpoint(0)
        .upstream
        .listener
        .onUpstreamFailed(
            UpstreamFailure.of(UpstreamFailure.Kind.STREAM_RESET, "reset by backend (CANCEL)"));
    assertTrailersOnly(4, "deadline_exceeded");
    assertThat(cluster.failures).isEmpty();
  }

  @Test
  void refusedStream_isReplayedOnTheNextEndpoint_withItsBody() {
    cluster.connectRetries = 1;
    start(request(PATH), false);
    call.onRequestData(grpcMessage("hi"), true);
    channel.runPendingTasks();
    cluster
        .endpoint(0)
        .upstream
        .listener
        .onUpstreamFailed(
            UpstreamFailure.of(UpstreamFailure.Kind.STREAM_REFUSED, "refused (GOAWAY)"));
    assertThat(client.headers).isEmpty();
    assertThat(phase()).isEqualTo(CallPhase.AWAITING_RESPONSE);
    assertThat(cluster.endpoint(1).acquires).isEqualTo(1);
    FakeUpstream again = cluster.endpoint(1).upstream;
    assertThat(again.body.toString()).endsWith("hi");
    assertThat(again.requestEnded).isTrue();
    again.listener.onResponseHeaders(trailersOnly(0), true);
    assertThat(client.last().get("grpc-status")).hasToString("0");
  }

  @Test
  void deadlineBeforeHeaders_isDeadlineExceeded_andCancelsTheBackend() {
    Http2Headers req = request(PATH).set("grpc-timeout", "100m");
    start(req, true);
    channel.runPendingTasks();
    FakeUpstream up = cluster.endpoint(0).upstream;
    assertThat(up.opened.get(0).get("grpc-timeout")).isNotNull();
    clock.advance(99, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(client.headers).isEmpty();
    clock.advance(1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertTrailersOnly(4, "deadline_exceeded");
    assertThat(message())
        .isEqualTo(
            "ferry: deadline of 100ms exceeded in the proxy (the client's grpc-timeout, cluster"
                + " 'greeter'); no response headers had arrived");
    assertThat(up.resets).containsExactly(Http2Error.CANCEL);
  }

  @Test
  void deadlineAfterHeaders_endsWithTrailers_andResetsTheBackend() {
    Http2Headers req = request(PATH).set("grpc-timeout", "1S");
    start(req, false);
    channel.runPendingTasks();
    FakeUpstream up = cluster.endpoint(0).upstream;
    up.listener.onResponseHeaders(responseHeaders(), false);
    clock.advance(1, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(client.headerEnds).containsExactly(false, true);
    assertThat(client.last().get("grpc-status")).hasToString("4");
    assertThat(client.last().get("ferry-local-reply")).hasToString("deadline_exceeded");
    assertThat(up.resets).containsExactly(Http2Error.CANCEL);
  }

  @Test
  void requestMessageOverTheLimit_isResourceExhausted() {
    routes = List.of(route("greeter", null, new RoutePolicy(null, null, 4), null));
    start(request(PATH), false);
    channel.runPendingTasks();
    call.onRequestData(grpcMessage("too long"), false);
    assertTrailersOnly(8, "message_too_large");
    assertThat(message()).contains("request message of 8 bytes exceeds the route's limit of 4");
    assertThat(cluster.endpoint(0).upstream.resets).containsExactly(Http2Error.CANCEL);
    assertThat(client.consumed).isEqualTo(13);
  }

  @Test
  void retryAfterTrailersOnly_thenSuccess_showsTheClientOnlyTheSuccess() {
    routes =
        List.of(
            route(
                "greeter",
                null,
                RoutePolicy.NONE,
                new RetryPolicy(Set.of(14), 3, Duration.ofMillis(10), Duration.ofMillis(10), 100)));
    start(request(PATH), false);
    call.onRequestData(grpcMessage("hi"), true);
    channel.runPendingTasks();
    cluster.endpoint(0).upstream.listener.onResponseHeaders(trailersOnly(14), true);
    assertThat(client.headers).isEmpty();
    assertThat(phase()).isEqualTo(CallPhase.CONNECTING);
    clock.advance(10, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    FakeUpstream second = cluster.endpoint(1).upstream;
    assertThat(second.body.toString()).endsWith("hi");
    second.listener.onResponseHeaders(responseHeaders(), false);
    assertThat(phase()).isEqualTo(CallPhase.HOLDING_FOR_RETRY);
    assertThat(client.headers).isEmpty();
    second.listener.onResponseData(grpcMessage("hello"), false);
    assertThat(phase()).isEqualTo(CallPhase.STREAMING);
    second.listener.onResponseHeaders(trailers(0), true);
    assertThat(client.headers).hasSize(2);
    assertThat(client.last().get("grpc-status")).hasToString("0");
    assertThat(cluster.responses).containsExactly(14, 0);
  }

  @Test
  void retryThatFindsNoBackend_givesTheClientTheLastRealAnswer_andLogsEveryTry() {
    routes =
        List.of(
            route(
                "greeter",
                null,
                RoutePolicy.NONE,
                new RetryPolicy(Set.of(14), 3, Duration.ofMillis(10), Duration.ofMillis(10), 100)));
    cluster.endpoint(1).failWith =
        UpstreamFailure.connect("10.0.0.2:50051", new ConnectException("refused"), 10);
    start(request(PATH), false);
    call.onRequestData(grpcMessage("hi"), true);
    channel.runPendingTasks();
    cluster
        .endpoint(0)
        .upstream
        .listener
        .onResponseHeaders(trailersOnly(14).add("grpc-message", "backend says no"), true);
    clock.advance(10, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();

    assertThat(client.headers).hasSize(1);
    assertThat(client.headerEnds).containsExactly(true);
    assertThat(client.last().get("grpc-status")).hasToString("14");
    assertThat(message()).isEqualTo("backend says no");
    assertThat(client.last().contains("ferry-local-reply")).isFalse();
    assertThat(phase()).isEqualTo(CallPhase.DONE);
    call.onDownstreamClosed();
    AccessLogEntry entry = log.get(0);
    assertThat(entry.grpcStatus()).isEqualTo(14);
    assertThat(entry.localReply()).isNull();
    assertThat(entry.upstream()).isEqualTo("10.0.0.1:50051");
    assertThat(entry.attempts())
        .containsExactly(
            new UpstreamAttempt("10.0.0.1:50051", "UNAVAILABLE(14)"),
            new UpstreamAttempt("10.0.0.2:50051", "connect_refused"));
  }

  @Test
  void retryableTrailersAfterHeldHeaders_areRetried_unseenByTheClient() {
    routes = List.of(retryRoute());
    start(request(PATH), true);
    channel.runPendingTasks();
    FakeUpstream first = cluster.endpoint(0).upstream;
    first.listener.onResponseHeaders(responseHeaders(), false);
    first.listener.onResponseHeaders(trailers(14), true);
    assertThat(phase()).isEqualTo(CallPhase.CONNECTING);
    assertThat(first.resets).isEmpty(); // the request had ended: nothing to cancel
    clock.advance(10, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    cluster.endpoint(1).upstream.listener.onResponseHeaders(trailersOnly(0), true);
    assertThat(client.headers).hasSize(1);
    assertThat(client.last().get("grpc-status")).hasToString("0");
    assertThat(cluster.responses).containsExactly(14, 0);
  }

  @Test
  void retryWhoseStreamFails_givesTheClientTheEarlierAnswer() {
    routes = List.of(retryRoute());
    start(request(PATH), true);
    channel.runPendingTasks();
    cluster
        .endpoint(0)
        .upstream
        .listener
        .onResponseHeaders(trailersOnly(14).add("grpc-message", "backend says no"), true);
    clock.advance(10, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    cluster
        .endpoint(1)
        .upstream
        .listener
        .onUpstreamFailed(UpstreamFailure.of(UpstreamFailure.Kind.STREAM_RESET, "reset"));
    assertThat(client.headerEnds).containsExactly(true);
    assertThat(message()).isEqualTo("backend says no");
    assertThat(client.last().contains("ferry-local-reply")).isFalse();
    call.onDownstreamClosed();
    assertThat(log.get(0).attempts())
        .containsExactly(
            new UpstreamAttempt("10.0.0.1:50051", "UNAVAILABLE(14)"),
            new UpstreamAttempt("10.0.0.2:50051", "stream_reset"));
  }

  @Test
  void failureWhileHeadersAreHeld_reachesTheClientAsTrailersOnly() {
    routes = List.of(retryRoute());
    start(request(PATH), true);
    channel.runPendingTasks();
    FakeUpstream up = cluster.endpoint(0).upstream;
    up.listener.onResponseHeaders(responseHeaders(), false);
    up.listener.onUpstreamFailed(
        UpstreamFailure.of(UpstreamFailure.Kind.CONNECTION_LOST, "connection to backend lost"));
    assertTrailersOnly(14, "upstream_reset");
  }

  @Test
  void clientCancel_whileARetryWaits_asksNoBackend() {
    routes = List.of(retryRoute());
    start(request(PATH), true);
    channel.runPendingTasks();
    cluster.endpoint(0).upstream.listener.onResponseHeaders(trailersOnly(14), true);
    call.onDownstreamClosed();
    clock.advance(10, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(cluster.endpoint(1).acquires).isZero();
    assertThat(log.get(0).reason()).isEqualTo("client_cancelled");
  }

  // The client goes away.

  @Test
  void clientCancel_whileConnecting_releasesTheLateConnection() {
    cluster.endpoint(0).park = true;
    start(request(PATH), true);
    channel.runPendingTasks();
    call.onDownstreamClosed();
    cluster.endpoint(0).parked.onUpstreamReady(cluster.endpoint(0).upstream);
    assertThat(cluster.endpoint(0).upstream.opened).isEmpty();
    assertThat(log.get(0).grpcStatus()).isEqualTo(-1);
  }

  @Test
  void clientCancel_beforeTheBackendIsAsked_asksNoBackend() {
    start(request(PATH), true);
    call.onDownstreamClosed();
    channel.runPendingTasks();
    assertThat(cluster.endpoint(0).acquires).isZero();
  }

  @Test
  void clientCancel_whileAwaitingTheResponse_resetsTheBackend() {
    start(request(PATH), false);
    call.onRequestData(grpcMessage("hi"), false);
    channel.runPendingTasks();
    call.onDownstreamClosed();
    assertThat(cluster.endpoint(0).upstream.resets).containsExactly(Http2Error.CANCEL);
    assertThat(phase()).isEqualTo(CallPhase.DONE);
  }

  @Test
  void clientCancel_whileHeadersAreHeld_resetsTheBackend() {
    routes =
        List.of(
            route(
                "greeter",
                null,
                RoutePolicy.NONE,
                new RetryPolicy(Set.of(14), 3, Duration.ofMillis(10), Duration.ofMillis(10), 100)));
    start(request(PATH), false);
    channel.runPendingTasks();
    cluster.endpoint(0).upstream.listener.onResponseHeaders(responseHeaders(), false);
    assertThat(phase()).isEqualTo(CallPhase.HOLDING_FOR_RETRY);
    call.onDownstreamClosed();
    assertThat(cluster.endpoint(0).upstream.resets).containsExactly(Http2Error.CANCEL);
    assertThat(client.headers).isEmpty();
  }

  @Test
  void clientCancel_whileStreaming_resetsTheBackend_andDropsWhatStillComes() {
    start(request(PATH), false);
    channel.runPendingTasks();
    FakeUpstream up = cluster.endpoint(0).upstream;
    up.listener.onResponseHeaders(responseHeaders(), false);
    call.onDownstreamClosed();
    assertThat(up.resets).containsExactly(Http2Error.CANCEL);
    up.listener.onResponseData(grpcMessage("late"), false);
    call.onRequestData(grpcMessage("late"), true);
    assertThat(client.consumed).isEqualTo(9);
  }

  // Helpers.

  private void start(Http2Headers request, boolean endStream) {
    call = handler(request, endStream);
    call.start();
  }

  private StreamHandler handler(Http2Headers request, boolean endStream) {
    if (factory == null) {
      factory = new CallFactory(worker, RouteTable.compile(routes), name -> cluster);
    }
    return factory.newStream(client, 3, request, endStream);
  }

  private CallPhase phase() {
    return ((ProxyCall) call).phase();
  }

  /** A route that retries UNAVAILABLE, three tries in all, 10ms apart. */
  private static RouteConfig retryRoute() {
    return route(
        "greeter",
        null,
        RoutePolicy.NONE,
        new RetryPolicy(Set.of(14), 3, Duration.ofMillis(10), Duration.ofMillis(10), 100));
  }

  private static RouteConfig route(
      String clusterName, DirectReply direct, RoutePolicy policy, RetryPolicy retry) {
    return new RouteConfig(
        new RouteMatch("helloworld.Greeter", null, null, null, List.of()),
        clusterName,
        direct,
        HeaderRules.NONE,
        HeaderRules.NONE,
        null,
        retry,
        policy == null ? RoutePolicy.NONE : policy);
  }

  private static Http2Headers request(String path) {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path(path)
        .authority("greeter")
        .add("content-type", "application/grpc")
        .add("te", "trailers");
  }

  private static Http2Headers responseHeaders() {
    return new DefaultHttp2Headers().status("200").add("content-type", "application/grpc");
  }

  private static Http2Headers trailers(int status) {
    return new DefaultHttp2Headers().addInt("grpc-status", status);
  }

  private static Http2Headers trailersOnly(int status) {
    return responseHeaders().addInt("grpc-status", status);
  }

  /** A length-prefixed gRPC message, noted so the test can check it was released. */
  private ByteBuf grpcMessage(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ByteBuf b = Unpooled.buffer(5 + bytes.length).writeByte(0).writeInt(bytes.length);
    b.writeBytes(bytes);
    buffers.add(b);
    return b;
  }

  private void assertTrailersOnly(int grpcStatus, String reason) {
    assertThat(client.headers).hasSize(1);
    assertThat(client.headerEnds).containsExactly(true);
    Http2Headers h = client.headers.get(0);
    assertThat(h.status()).hasToString("200");
    assertThat(h.get("grpc-status")).hasToString(Integer.toString(grpcStatus));
    assertThat(h.get("ferry-local-reply")).hasToString(reason);
    assertThat(phase()).isEqualTo(CallPhase.DONE);
  }

  private String message() {
    return client.last().get("grpc-message").toString();
  }
}
