package dev.ferry.proxy.reflection;

import dev.ferry.proxy.grpc.GrpcMessageFrame;
import dev.ferry.proxy.grpc.GrpcMessageReader;
import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.upstream.ConnectCallback;
import dev.ferry.proxy.upstream.Upstream;
import dev.ferry.proxy.upstream.UpstreamCluster;
import dev.ferry.proxy.upstream.UpstreamEndpoint;
import dev.ferry.proxy.upstream.UpstreamFailure;
import dev.ferry.proxy.upstream.UpstreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One reflection question to one cluster, over the proxy's own upstream connections: one request
 * message, one answer. It asks v1 first and falls back to v1alpha when the backend answers
 * UNIMPLEMENTED, so that backends speaking either version are merged alike.
 */
final class ReflectionExchange implements ConnectCallback, UpstreamListener {
  static final String V1 = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
  static final String V1ALPHA = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

  /**
   * The backend answered, but not with a reflection answer (an error status, such as UNIMPLEMENTED
   * from a server without reflection, or no message): for reflection, its answer is not valid.
   */
  private static final LocalReplyReason NOT_A_REFLECTION_ANSWER =
      LocalReplyReason.UPSTREAM_PROTOCOL_ERROR;

  /**
   * What an exchange ends with: the answer, or why there is none, typed ({@code reason}: what a
   * reply the proxy gives for it says) and for a person ({@code failure}).
   */
  interface Result {
    void done(byte[] response, LocalReplyReason reason, String failure);
  }

  private final UpstreamCluster cluster;
  private final byte[] request;
  private final EventLoop loop;
  private final long timeoutMillis;
  private final Result result;
  private String path = V1;
  private UpstreamEndpoint endpoint;
  private Upstream up;
  private int streamId = -1;
  private GrpcMessageReader reader = new GrpcMessageReader(ReflectionMessages.MAX_MESSAGE);
  private ScheduledFuture<?> timer;
  private boolean finished;

  ReflectionExchange(
      UpstreamCluster cluster, byte[] request, EventLoop loop, long timeoutMillis, Result result) {
    this.cluster = cluster;
    this.request = request;
    this.loop = loop;
    this.timeoutMillis = timeoutMillis;
    this.result = result;
  }

  void start() {
    timer =
        loop.schedule(
            () ->
                fail(
                    LocalReplyReason.DEADLINE_EXCEEDED,
                    "no reflection answer within " + timeoutMillis + "ms"),
            timeoutMillis,
            TimeUnit.MILLISECONDS);
    attempt();
  }

  private void attempt() {
    UpstreamEndpoint e = cluster.pickWithoutTurn(headers());
    if (e == null) {
      fail(LocalReplyReason.NO_HEALTHY_UPSTREAM, "no endpoint available");
      return;
    }
    endpoint = e;
    e.callStarted();
    e.acquire(this);
  }

  private Http2Headers headers() {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path(path)
        .authority(endpoint == null ? cluster.name() : endpoint.name())
        .add("content-type", "application/grpc")
        .add("te", "trailers")
        .add("grpc-timeout", timeoutMillis + "m")
        .add("user-agent", "ferry-reflection");
  }

  @Override
  public void onUpstreamReady(Upstream u) {
    if (finished) {
      return;
    }
    int id = u.open(headers(), false, this);
    if (id < 0) {
      fail(
          LocalReplyReason.CONNECT_FAILED,
          "no connection to " + endpoint.name() + " takes another stream");
      return;
    }
    up = u;
    streamId = id;
    u.writeData(id, GrpcMessageFrame.of(ByteBufAllocator.DEFAULT, request), true, f -> {});
  }

  @Override
  public void onConnectFailed(UpstreamFailure failure) {
    fail(failure.reason(), failure.detail());
  }

  @Override
  public void onResponseHeaders(Http2Headers headers, boolean endStream) {
    if (finished || !endStream) {
      return;
    }
    streamId = -1; // ended by the backend
    CharSequence s = headers.get("grpc-status");
    String status = s == null ? null : s.toString();
    GrpcCode code = status == null ? null : GrpcCode.parse(status);
    if (code == GrpcCode.UNIMPLEMENTED && path.equals(V1)) {
      // This backend speaks v1alpha only (or no reflection at all): ask again in v1alpha.
      path = V1ALPHA;
      releaseEndpoint();
      up = null;
      reader = new GrpcMessageReader(ReflectionMessages.MAX_MESSAGE);
      attempt();
      return;
    }
    if (code != GrpcCode.OK) {
      CharSequence m = headers.get("grpc-message");
      fail(
          NOT_A_REFLECTION_ANSWER,
          "reflection ended with grpc-status " + status + (m == null ? "" : ": " + m));
      return;
    }
    byte[] msg;
    try {
      msg = reader.next();
    } catch (IllegalArgumentException e) {
      fail(NOT_A_REFLECTION_ANSWER, "reflection answer unreadable: " + e.getMessage());
      return;
    }
    if (msg == null) {
      fail(NOT_A_REFLECTION_ANSWER, "reflection ended without an answer");
    } else {
      finish(msg, null, null);
    }
  }

  @Override
  public void onResponseData(ByteBuf data, boolean endStream) {
    int n = data.readableBytes();
    try {
      if (!finished) {
        reader.add(data);
      }
    } finally {
      data.release();
      if (up != null && streamId >= 0) {
        up.consume(streamId, n);
      }
    }
    if (endStream && !finished) {
      streamId = -1;
      fail(NOT_A_REFLECTION_ANSWER, "reflection ended without a status");
    }
  }

  @Override
  public void onUpstreamFailed(UpstreamFailure failure) {
    streamId = -1;
    fail(failure.reason(), failure.detail());
  }

  /** Stops the exchange without an answer: the client went away. */
  void cancel() {
    fail(LocalReplyReason.CLIENT_CANCELLED, "cancelled");
  }

  private void releaseEndpoint() {
    if (endpoint != null) {
      endpoint.callEnded();
      endpoint = null;
    }
  }

  private void fail(LocalReplyReason reason, String failure) {
    finish(null, reason, failure);
  }

  private void finish(byte[] response, LocalReplyReason reason, String failure) {
    if (finished) {
      return;
    }
    finished = true;
    if (timer != null) {
      timer.cancel(false);
    }
    if (up != null && streamId >= 0) {
      up.reset(streamId, Http2Error.CANCEL);
    }
    up = null;
    releaseEndpoint();
    result.done(response, reason, failure);
  }
}
