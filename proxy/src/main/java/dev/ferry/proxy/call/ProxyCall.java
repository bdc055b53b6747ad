package dev.ferry.proxy.call;

import dev.ferry.proxy.LocalReplyReason;
import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.accesslog.AccessLogEntry;
import dev.ferry.proxy.config.DirectReply;
import dev.ferry.proxy.metrics.RouteMeters;
import dev.ferry.proxy.route.Route;
import dev.ferry.proxy.route.RouteTable;
import dev.ferry.proxy.upstream.ConnectCallback;
import dev.ferry.proxy.upstream.Upstream;
import dev.ferry.proxy.upstream.UpstreamCluster;
import dev.ferry.proxy.upstream.UpstreamEndpoint;
import dev.ferry.proxy.upstream.UpstreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One call through the proxy: a client stream tied to a backend stream. Bytes pass through as the
 * buffers that arrived, and each side's bytes are acknowledged only once the other side has written
 * them, so a stalled peer costs one flow-control window, not heap.
 *
 * <p>Everything here runs on the client connection's event loop, which also owns the backend
 * connection, so no state needs a lock.
 */
public final class ProxyCall implements UpstreamListener, ConnectCallback {
  private final Worker worker;
  private final Downstream down;
  private final int downId;
  private final Http2Headers request;
  private final boolean grpc;
  private final long startNanos = System.nanoTime();
  private final CharSequence method;
  private final CharSequence path;
  private final CharSequence authority;
  private Route route;
  private RouteMeters meters;
  private UpstreamCluster cluster;
  private UpstreamEndpoint endpoint;
  private List<UpstreamEndpoint> tried;
  private int attemptsLeft;
  private int reacquires;
  private String lastFailure;
  private Upstream up;
  private int upId = -1;
  private ArrayDeque<ByteBuf> pending;
  private Http2Headers requestTrailers;
  private boolean requestEnded;
  private boolean dataSentUpstream;
  private boolean responseStarted;
  private boolean responseEnded;
  private boolean closed;
  private long deadlineNanos;
  private ScheduledFuture<?> deadlineTimer;
  private int httpStatus;
  private int grpcStatus = -1;
  private String upstreamName;
  private LocalReplyReason localReply;
  private long bytesIn;
  private long bytesOut;
  private int buffered;
  private int bufferedPeak;

  private ProxyCall(
      Worker worker, Downstream down, int downId, Http2Headers request, boolean endStream) {
    this.worker = worker;
    this.down = down;
    this.downId = downId;
    this.request = request;
    this.grpc = GrpcLocalReply.isGrpc(request);
    this.requestEnded = endStream;
    this.method = request.method();
    this.path = request.path();
    this.authority = request.authority();
  }

  /** A call for a new client stream; {@link #begin} starts it once the stream knows the call. */
  public static ProxyCall create(
      Worker worker, Downstream down, int streamId, Http2Headers headers, boolean endStream) {
    worker.metrics().callStarted();
    return new ProxyCall(worker, down, streamId, headers, endStream);
  }

  /** Routes the call and sends it on its way, or answers it locally. */
  public void begin(RouteTable routes) {
    route(routes.match(request));
  }

  private void route(Route r) {
    this.route = r;
    meters = worker.routeMeters(r);
    meters.streamOpened();
    if (r == null) {
      localReply(
          GrpcLocalReply.UNIMPLEMENTED,
          404,
          LocalReplyReason.NO_ROUTE,
          "ferry: no route for " + path);
      return;
    }
    DirectReply direct = r.directReply();
    if (direct != null) {
      localReply(
          direct.grpcStatus(),
          direct.httpStatus(),
          LocalReplyReason.DIRECT_REPLY,
          direct.message());
      return;
    }
    long timeout = GrpcTimeout.parseNanos(request.get(ProxyHeaders.GRPC_TIMEOUT));
    Duration cap = r.maxTimeout();
    if (cap != null && !cap.isZero() && (timeout < 0 || cap.toNanos() < timeout)) {
      timeout = cap.toNanos();
    }
    if (timeout >= 0) {
      deadlineNanos = startNanos + timeout;
      deadlineTimer = down.eventLoop().schedule(this::onDeadline, timeout, TimeUnit.NANOSECONDS);
    }
    ProxyHeaders.prepareRequest(request, down.remoteAddress(), grpc);
    if (!r.requestRewriter().isEmpty()) {
      r.requestRewriter().apply(request);
    }
    cluster = worker.cluster(r.cluster());
    attemptsLeft = 1 + cluster.connectRetries();
    pickAndAcquire();
  }

  private void pickAndAcquire() {
    UpstreamEndpoint e =
        attemptsLeft <= 0 ? null : cluster.pick(request, tried == null ? List.of() : tried);
    if (e == null) {
      if (lastFailure != null) {
        localReply(
            GrpcLocalReply.UNAVAILABLE,
            503,
            LocalReplyReason.CONNECT_FAILED,
            "ferry: cluster '" + cluster.name() + "': " + lastFailure);
      } else {
        localReply(
            GrpcLocalReply.UNAVAILABLE,
            503,
            LocalReplyReason.NO_HEALTHY_UPSTREAM,
            "ferry: cluster '" + cluster.name() + "': no endpoint available");
      }
      return;
    }
    if (tried != null) {
      worker.meters().retry(cluster.name());
    }
    attemptsLeft--;
    endpoint = e;
    e.callStarted();
    e.acquire(this);
  }

  private void releaseEndpoint() {
    if (endpoint != null) {
      endpoint.callEnded();
      if (tried == null) {
        tried = new ArrayList<>(2);
      }
      tried.add(endpoint);
      endpoint = null;
    }
  }

  @Override
  public void onUpstreamReady(Upstream u) {
    if (closed || responseEnded) {
      releaseEndpoint();
      return;
    }
    if (deadlineNanos != 0) {
      // The backend sees the time that is left, not what the client asked for at the start.
      request.set(ProxyHeaders.GRPC_TIMEOUT, GrpcTimeout.format(deadlineNanos - System.nanoTime()));
    }
    boolean endNow =
        requestEnded && (pending == null || pending.isEmpty()) && requestTrailers == null;
    int id = u.open(request, endNow, this);
    if (id < 0) {
      // The connection filled up meanwhile; the pool opens another one.
      if (++reacquires > 8) {
        onConnectFailed("no connection to " + u.endpointName() + " takes another stream");
      } else {
        endpoint.acquire(this);
      }
      return;
    }
    up = u;
    upId = id;
    upstreamName = u.endpointName();
    if (pending != null) {
      ByteBuf buf;
      while ((buf = pending.poll()) != null) {
        forwardRequest(buf, requestEnded && pending.isEmpty() && requestTrailers == null);
      }
    }
    if (requestTrailers != null) {
      u.writeTrailers(upId, requestTrailers);
    }
  }

  @Override
  public void onConnectFailed(String cause) {
    if (endpoint != null) {
      cluster.recordFailure(endpoint, cause);
    }
    releaseEndpoint();
    if (closed || responseEnded) {
      return;
    }
    lastFailure = cause;
    pickAndAcquire();
  }

  /** A piece of the request body; the call owns {@code data}. */
  public void onRequestData(ByteBuf data, boolean endStream) {
    int n = data.readableBytes();
    bytesIn += n;
    if (endStream) {
      requestEnded = true;
    }
    if (closed || responseEnded || cluster == null) {
      data.release();
      down.consume(downId, n);
      return;
    }
    buffered(n);
    if (up != null) {
      forwardRequest(data, endStream);
    } else {
      // Held until the backend stream opens; the client's window bounds how much.
      if (pending == null) {
        pending = new ArrayDeque<>(4);
      }
      pending.add(data);
    }
  }

  private void forwardRequest(ByteBuf data, boolean endStream) {
    int n = data.readableBytes();
    dataSentUpstream = true;
    up.writeData(
        upId,
        data,
        endStream,
        f -> {
          buffered(-n);
          down.consume(downId, n);
        });
  }

  /** The request's trailers, which end it. */
  public void onRequestTrailers(Http2Headers trailers) {
    requestEnded = true;
    if (closed || responseEnded || cluster == null) {
      return;
    }
    if (up != null) {
      up.writeTrailers(upId, trailers);
    } else {
      requestTrailers = trailers;
    }
  }

  @Override
  public void onResponseHeaders(Http2Headers headers, boolean endStream) {
    if (closed || responseEnded) {
      return;
    }
    if (!responseStarted) {
      CharSequence status = headers.status();
      int code = status == null ? 0 : parseInt(status);
      if (code >= 100 && code < 200 && !endStream) {
        return; // informational: the client asked HTTP/2 semantics of the backend, not of us
      }
      httpStatus = code;
      ProxyHeaders.stripHopByHop(headers);
      if (!route.responseRewriter().isEmpty()) {
        route.responseRewriter().apply(headers);
      }
      responseStarted = true;
    }
    if (endStream) {
      CharSequence s = headers.get(GrpcLocalReply.GRPC_STATUS);
      grpcStatus = s == null ? -1 : parseInt(s);
    }
    down.writeHeaders(downId, headers, endStream);
    if (endStream) {
      responseFinished();
    }
  }

  @Override
  public void onResponseData(ByteBuf data, boolean endStream) {
    int n = data.readableBytes();
    bytesOut += n;
    Upstream u = up;
    int id = upId;
    if (closed || responseEnded || u == null) {
      data.release();
      if (u != null) {
        u.consume(id, n);
      }
      return;
    }
    buffered(n);
    down.writeData(
        downId,
        data,
        endStream,
        f -> {
          buffered(-n);
          u.consume(id, n);
        });
    if (endStream) {
      responseFinished();
    }
  }

  private void responseFinished() {
    responseEnded = true;
    cancelDeadline();
    if (endpoint != null) {
      cluster.recordResponse(endpoint, grpcStatus, httpStatus);
    }
    releaseEndpoint();
    if (!requestEnded && up != null) {
      // The backend has answered; the rest of the request has nowhere to go. The client's stream
      // stays half-closed: a gRPC client cancels its side when it sees the status, and resetting it
      // here would race DATA already in flight.
      up.reset(upId, Http2Error.CANCEL);
    }
    up = null;
  }

  @Override
  public void onUpstreamFailed(String cause, boolean refused) {
    up = null;
    if (closed || responseEnded) {
      return;
    }
    String where = endpoint == null ? upstreamName : endpoint.name();
    if (endpoint != null && !refused) {
      cluster.recordFailure(endpoint, cause);
    }
    releaseEndpoint();
    if (refused && !responseStarted && !dataSentUpstream && attemptsLeft > 0) {
      lastFailure = where + ": " + cause;
      pickAndAcquire();
      return;
    }
    String msg = "ferry: cluster '" + cluster.name() + "': " + where + ": " + cause;
    endWithError(GrpcLocalReply.UNAVAILABLE, 502, LocalReplyReason.UPSTREAM_RESET, msg);
  }

  private void onDeadline() {
    deadlineTimer = null;
    if (closed || responseEnded) {
      return;
    }
    if (up != null) {
      up.reset(upId, Http2Error.CANCEL);
      up = null;
    }
    releaseEndpoint();
    Duration d = Duration.ofNanos(deadlineNanos - startNanos);
    String msg =
        "ferry: deadline of "
            + d.toMillis()
            + "ms exceeded in the proxy (cluster '"
            + cluster.name()
            + "')";
    endWithError(GrpcLocalReply.DEADLINE_EXCEEDED, 504, LocalReplyReason.DEADLINE_EXCEEDED, msg);
  }

  /** Ends the call with an error, as a local reply if nothing was sent yet, else as best we can. */
  private void endWithError(int status, int httpCode, LocalReplyReason reason, String msg) {
    if (!responseStarted) {
      localReply(status, httpCode, reason, msg);
    } else if (grpc) {
      // Trailers rather than RST_STREAM: the client learns the status and the proxy's reason.
      localReply = reason;
      grpcStatus = status;
      responseEnded = true;
      down.writeHeaders(downId, GrpcLocalReply.trailers(status, msg, reason), true);
    } else {
      localReply = reason;
      responseEnded = true;
      down.reset(downId, Http2Error.INTERNAL_ERROR);
    }
  }

  private void localReply(int status, int httpCode, LocalReplyReason reason, String msg) {
    localReply = reason;
    responseStarted = true;
    responseEnded = true;
    cancelDeadline();
    releasePending();
    if (grpc) {
      grpcStatus = status;
      httpStatus = 200;
      down.writeHeaders(downId, GrpcLocalReply.trailersOnly(status, msg, reason), true);
    } else {
      httpStatus = httpCode;
      HttpLocalReply.write(down, downId, httpCode, msg, reason);
    }
  }

  private void releasePending() {
    if (pending != null) {
      ByteBuf buf;
      while ((buf = pending.poll()) != null) {
        int n = buf.readableBytes();
        buffered(-n);
        buf.release();
        down.consume(downId, n);
      }
    }
  }

  private void cancelDeadline() {
    if (deadlineTimer != null) {
      deadlineTimer.cancel(false);
      deadlineTimer = null;
    }
  }

  /** The client stream closed, whatever the reason: release everything, log the call. */
  public void onDownstreamClosed() {
    if (closed) {
      return;
    }
    closed = true;
    cancelDeadline();
    if (up != null && !responseEnded) {
      up.reset(upId, Http2Error.CANCEL);
    }
    up = null;
    releasePending();
    releaseEndpoint();
    worker.metrics().callEnded(bufferedPeak);
    if (meters != null) {
      meters.streamClosed();
      meters
          .method(path, method, grpc)
          .callEnded(grpcStatus, System.nanoTime() - startNanos, bytesIn, bytesOut);
    }
    if (localReply != null) {
      worker.meters().localReply(localReply);
    }
    AccessLog log = worker.accessLog();
    if (log != AccessLog.OFF) {
      log.log(
          new AccessLogEntry(
              System.currentTimeMillis()
                  - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
              down.remoteAddress(),
              str(method),
              str(path),
              str(authority),
              down.protocol(),
              grpc,
              httpStatus,
              grpcStatus,
              upstreamName,
              localReply == null ? null : localReply.wireName(),
              bytesIn,
              bytesOut,
              System.nanoTime() - startNanos));
    }
  }

  /** Body bytes held between reading them from one side and writing them to the other. */
  private void buffered(int delta) {
    buffered += delta;
    if (buffered > bufferedPeak) {
      bufferedPeak = buffered;
    }
    worker.metrics().buffered(delta);
  }

  private static String str(CharSequence s) {
    return s == null ? null : s.toString();
  }

  private static int parseInt(CharSequence s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return s.length() == 0 ? -1 : n;
  }
}
