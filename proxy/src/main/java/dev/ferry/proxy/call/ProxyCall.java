package dev.ferry.proxy.call;

import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.config.DirectReply;
import dev.ferry.proxy.limits.GrpcMessageSizeCheck;
import dev.ferry.proxy.limits.RouteGuard;
import dev.ferry.proxy.metrics.GrpcMessageCounter;
import dev.ferry.proxy.metrics.RouteMeters;
import dev.ferry.proxy.reflection.MergedReflectionCall;
import dev.ferry.proxy.route.Route;
import dev.ferry.proxy.route.RouteTable;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.upstream.ConnectCallback;
import dev.ferry.proxy.upstream.Upstream;
import dev.ferry.proxy.upstream.UpstreamCluster;
import dev.ferry.proxy.upstream.UpstreamEndpoint;
import dev.ferry.proxy.upstream.UpstreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.List;
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
  private final CallRecord record;
  private Route route;
  private GrpcMessageSizeCheck sizeCheck;
  private boolean holdsClusterSlot;
  private long retryAfterSeconds;
  private RouteMeters meters;
  private MergedReflectionCall reflection;
  private UpstreamCluster cluster;
  private UpstreamAttempts attempts;
  private int reacquires;
  private Upstream up;
  private int upId = -1;
  private final RequestBuffer body = new RequestBuffer();
  private Http2Headers requestTrailers;
  private boolean requestEnded;
  private boolean responseStarted;
  private boolean responseEnded;
  private boolean closed;

  private CallDeadline deadline; // null when the call has none
  private int buffered;
  private int bufferedPeak;
  private RetryHold retryHold; // only on a retryable route
  private final GrpcMessageCounter requestMessages;
  private final GrpcMessageCounter responseMessages;

  private ProxyCall(
      Worker worker, Downstream down, int downId, Http2Headers request, boolean endStream) {
    this.worker = worker;
    this.down = down;
    this.downId = downId;
    this.request = request;
    this.grpc = GrpcLocalReply.isGrpc(request);
    this.requestEnded = endStream;
    this.record = new CallRecord(request);
    this.requestMessages = grpc ? new GrpcMessageCounter() : null;
    this.responseMessages = grpc ? new GrpcMessageCounter() : null;
  }

  /** A call for a new client stream; {@link #begin} starts it once the stream knows the call. */
  public static ProxyCall create(
      Worker worker, Downstream down, int streamId, Http2Headers headers, boolean endStream) {
    worker.metrics().callStarted();
    return new ProxyCall(worker, down, streamId, headers, endStream);
  }

  /** Routes the call and sends it on its way, or answers it locally. */
  public void begin(RouteTable routes) {
    Route r = routes.match(request, down.clientSubject());
    if (grpc && MergedReflectionCall.handles(record.path(), r)) {
      if (r != null && refusedByGuard(r)) {
        return;
      }
      // One reflection for all: the proxy answers for every cluster this listener reaches.
      meters = worker.meters().reflection();
      meters.streamOpened();
      record.httpStatus = 200;
      record.upstream = "ferry";
      reflection =
          MergedReflectionCall.start(
              down, downId, routes.clusters(), worker::cluster, s -> record.grpcStatus = s);
      if (requestEnded) {
        reflection.onRequestTrailers();
      }
      return;
    }
    route(r);
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
          "ferry: no route for " + record.path());
      return;
    }
    if (refusedByGuard(r)) {
      return;
    }
    if (grpc && r.guard().maxRequestMessageBytes() > 0) {
      sizeCheck = new GrpcMessageSizeCheck(r.guard().maxRequestMessageBytes());
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
    cluster = worker.cluster(r.cluster());
    if (grpc && cluster.isHttp1()) {
      // Typically a gRPC call to a service no route names, caught by a catch-all REST route: a
      // REST backend would answer 200 without a grpc-status, which clients report as INTERNAL.
      localReply(
          GrpcLocalReply.UNIMPLEMENTED,
          404,
          LocalReplyReason.NO_ROUTE,
          "ferry: no gRPC route for "
              + record.path()
              + ": the matching route leads to HTTP/1.1 cluster '"
              + cluster.name()
              + "', which cannot carry gRPC");
      return;
    }
    long timeout =
        GrpcTimeout.effectiveNanos(request.get(ProxyHeaders.GRPC_TIMEOUT), r.maxTimeout());
    if (timeout >= 0) {
      deadline = CallDeadline.start(down.eventLoop(), record.startNanos, timeout, this::onDeadline);
    }
    ProxyHeaders.prepareRequest(request, down.clientIp(), grpc);
    if (!r.requestRewriter().isEmpty()) {
      r.requestRewriter().apply(request);
    }
    if (!cluster.tryStartCall()) {
      localReply(
          GrpcLocalReply.UNAVAILABLE,
          503,
          LocalReplyReason.OVERLOADED,
          "ferry: cluster '"
              + cluster.name()
              + "' has its maximum of "
              + cluster.maxInFlight()
              + " calls in flight");
      return;
    }
    holdsClusterSlot = true;
    if (r.retry() != null) {
      r.retryBudget().callStarted(); // retries may be a share of all the route's calls
      retryHold = new RetryHold(r);
    }
    attempts = new UpstreamAttempts(cluster, request);
    // After the frames of this read: a stream the client resets in the same burst (rapid reset,
    // CVE-2023-44487) then never becomes a backend stream, so resets cannot storm the backends.
    down.eventLoop().execute(this::startUpstream);
  }

  private void startUpstream() {
    if (!closed && !responseEnded) {
      pickAndAcquire();
    }
  }

  /** The route's access rules and rate limit; true when they refused the call (answered). */
  private boolean refusedByGuard(Route r) {
    RouteGuard.Refusal refused =
        r.guard().check(request, down.remoteAddress(), down.clientSubject());
    if (refused == null) {
      return false;
    }
    retryAfterSeconds = refused.retryAfterSeconds();
    localReply(refused.grpcStatus(), refused.httpStatus(), refused.reason(), refused.message());
    return true;
  }

  private void pickAndAcquire() {
    UpstreamEndpoint e = attempts.next();
    if (e != null) {
      if (attempts.lastFailure() != null) {
        worker.meters().retry(cluster.name());
      }
      e.acquire(this);
    } else if (attempts.lastFailure() != null) {
      LocalReplyReason reason = attempts.lastReason();
      localReply(
          GrpcLocalReply.UNAVAILABLE,
          reason == LocalReplyReason.UPSTREAM_RESET ? 502 : 503,
          reason,
          "ferry: cluster '" + cluster.name() + "': " + attempts.lastFailure());
    } else {
      localReply(
          GrpcLocalReply.UNAVAILABLE,
          503,
          LocalReplyReason.NO_HEALTHY_UPSTREAM,
          "ferry: cluster '" + cluster.name() + "': no endpoint available");
    }
  }

  private void releaseEndpoint() {
    if (attempts != null) {
      attempts.release();
    }
  }

  @Override
  public void onUpstreamReady(Upstream u) {
    if (closed || responseEnded) {
      releaseEndpoint();
      return;
    }
    if (deadline != null) {
      // The backend sees the time that is left, not what the client asked for at the start.
      request.set(ProxyHeaders.GRPC_TIMEOUT, GrpcTimeout.format(deadline.remainingNanos()));
    }
    List<ByteBuf> replay = body.takeSent();
    boolean endNow =
        requestEnded && replay.isEmpty() && !body.hasPending() && requestTrailers == null;
    int id = u.open(request, endNow, this);
    if (id < 0) {
      // The connection filled up meanwhile; the pool opens another one.
      for (ByteBuf b : replay) {
        body.sending(b); // keep them for the next try
        b.release();
      }
      if (++reacquires > 8) {
        onConnectFailed("no connection to " + u.endpointName() + " takes another stream");
      } else {
        attempts.current().acquire(this);
      }
      return;
    }
    up = u;
    upId = id;
    record.upstream = u.endpointName();
    for (int i = 0; i < replay.size(); i++) {
      // Sent before, to a backend that refused it; the client's window was settled then.
      boolean last = i == replay.size() - 1;
      sendUpstream(
          replay.get(i),
          requestEnded && last && !body.hasPending() && requestTrailers == null,
          f -> {});
    }
    ByteBuf buf;
    while ((buf = body.pollPending()) != null) {
      forwardRequest(buf, requestEnded && !body.hasPending() && requestTrailers == null);
    }
    if (requestEnded && requestTrailers != null) {
      u.writeTrailers(upId, requestTrailers);
    }
  }

  @Override
  public void onConnectFailed(String cause) {
    UpstreamEndpoint failed = attempts.current();
    if (failed != null) {
      cluster.recordFailure(failed, cause);
    }
    releaseEndpoint();
    if (closed || responseEnded) {
      return;
    }
    attempts.failed(cause, LocalReplyReason.CONNECT_FAILED);
    pickAndAcquire();
  }

  /** A piece of the request body; the call owns {@code data}. */
  public void onRequestData(ByteBuf data, boolean endStream) {
    if (requestMessages != null) {
      requestMessages.add(data);
    }
    if (reflection != null) {
      record.bytesIn += data.readableBytes();
      reflection.onRequestData(data, endStream);
      return;
    }
    int n = data.readableBytes();
    record.bytesIn += n;
    if (endStream) {
      requestEnded = true;
    }
    if (closed || responseEnded || cluster == null) {
      data.release();
      down.consume(downId, n);
      return;
    }
    if (sizeCheck != null && sizeCheck.exceeds(data)) {
      data.release();
      down.consume(downId, n);
      refuseLargeMessage();
      return;
    }
    buffered(n);
    if (up != null) {
      forwardRequest(data, endStream);
    } else {
      body.hold(data); // until the backend stream opens; the client's window bounds how much
    }
  }

  /** A request message over the route's limit: nothing of it goes on, the call ends. */
  private void refuseLargeMessage() {
    if (up != null) {
      up.reset(upId, Http2Error.CANCEL);
      up = null;
    }
    releasePending();
    releaseEndpoint();
    endWithError(
        GrpcLocalReply.RESOURCE_EXHAUSTED,
        413,
        LocalReplyReason.MESSAGE_TOO_LARGE,
        "ferry: request message of "
            + sizeCheck.offendingSize()
            + " bytes exceeds the route's limit of "
            + sizeCheck.maxBytes()
            + " bytes");
  }

  /** Sends a piece of the client's body; the client may send more once it has left. */
  private void forwardRequest(ByteBuf data, boolean endStream) {
    int n = data.readableBytes();
    sendUpstream(
        data,
        endStream,
        f -> {
          buffered(-n);
          down.consume(downId, n);
        });
  }

  private void sendUpstream(
      ByteBuf data, boolean endStream, GenericFutureListener<? extends Future<? super Void>> done) {
    body.sending(data);
    up.writeData(upId, data, endStream, done);
  }

  /** The request's trailers, which end it. */
  public void onRequestTrailers(Http2Headers trailers) {
    if (reflection != null) {
      reflection.onRequestTrailers();
      return;
    }
    requestEnded = true;
    if (closed || responseEnded || cluster == null) {
      return;
    }
    requestTrailers = trailers; // kept: a replay sends them again
    if (up != null) {
      up.writeTrailers(upId, trailers);
    }
  }

  @Override
  public void onResponseHeaders(Http2Headers headers, boolean endStream) {
    if (closed || responseEnded) {
      return;
    }
    if (!responseStarted && !holding()) {
      CharSequence status = headers.status();
      int code = status == null ? 0 : GrpcTimeout.parseDigits(status);
      if (code >= 100 && code < 200 && !endStream) {
        return; // informational: the client asked HTTP/2 semantics of the backend, not of us
      }
      record.httpStatus = code;
      if (retryHold != null) {
        if (!endStream) {
          retryHold.hold(headers);
          return;
        }
        if (retryAfter(headers)) {
          return; // Trailers-Only with a status the route retries
        }
      }
      startResponse(headers);
    } else if (holding()) {
      // Trailers right after headers: no message reached the client yet.
      if (endStream && retryAfter(headers)) {
        return;
      }
      releaseHeldHeaders();
    }
    if (endStream) {
      CharSequence s = headers.get(GrpcLocalReply.GRPC_STATUS);
      record.grpcStatus = s == null ? -1 : GrpcTimeout.parseDigits(s);
    }
    down.writeHeaders(downId, headers, endStream);
    if (endStream) {
      responseFinished();
    }
  }

  /** The response's first headers go to the client: from now on the call is committed. */
  private void startResponse(Http2Headers headers) {
    body.stopReplay();
    ProxyHeaders.stripHopByHop(headers);
    if (!route.responseRewriter().isEmpty()) {
      route.responseRewriter().apply(headers);
    }
    responseStarted = true;
  }

  private boolean holding() {
    return retryHold != null && retryHold.isHolding();
  }

  private void releaseHeldHeaders() {
    Http2Headers h = retryHold.release();
    startResponse(h);
    down.writeHeaders(downId, h, false);
  }

  /**
   * Tries the call again on another endpoint when {@code end} (Trailers-Only or trailers) carries a
   * status the route retries, attempts, budget and deadline allow it, and the request is still
   * held; returns whether it does. Nothing of this response has reached the client.
   */
  private boolean retryAfter(Http2Headers end) {
    if (!grpc) {
      return false;
    }
    int status = RetryHold.status(end);
    long wait = retryHold.nextWait(status, body.replayable(), deadline);
    if (wait < 0) {
      return false;
    }
    UpstreamEndpoint failed = attempts.current();
    String where = failed == null ? record.upstream : failed.name();
    if (failed != null) {
      cluster.recordResponse(failed, status, record.httpStatus);
    }
    if (!requestEnded && up != null) {
      up.reset(upId, Http2Error.CANCEL); // the backend is done; our half of its stream goes too
    }
    up = null;
    releaseEndpoint();
    attempts.failed(where + ": grpc-status " + status, LocalReplyReason.UPSTREAM_RESET);
    attempts.allowOneMore();
    UpstreamEndpoint next = attempts.next();
    if (next == null) {
      return false; // no endpoint left: the client gets this answer after all
    }
    retryHold.taken();
    record.httpStatus = 0;
    worker.meters().retry(cluster.name());
    down.eventLoop()
        .schedule(
            () -> {
              if (!closed && !responseEnded) {
                next.acquire(this);
              }
            },
            wait,
            TimeUnit.NANOSECONDS);
    return true;
  }

  @Override
  public void onResponseData(ByteBuf data, boolean endStream) {
    if (responseMessages != null) {
      responseMessages.add(data);
    }
    int n = data.readableBytes();
    record.bytesOut += n;
    Upstream u = up;
    int id = upId;
    if (closed || responseEnded || u == null) {
      data.release();
      if (u != null) {
        u.consume(id, n);
      }
      return;
    }
    if (!responseStarted && holding()) {
      releaseHeldHeaders(); // a message: this response is the one the client gets
    }
    if (!responseStarted) {
      // DATA before HEADERS: not HTTP; the client must not see it as a response body.
      data.release();
      up.reset(upId, Http2Error.PROTOCOL_ERROR);
      up = null;
      releaseEndpoint();
      endWithError(
          GrpcLocalReply.UNAVAILABLE,
          502,
          LocalReplyReason.UPSTREAM_PROTOCOL_ERROR,
          "ferry: cluster '"
              + cluster.name()
              + "': "
              + record.upstream
              + " sent DATA before HEADERS");
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
    UpstreamEndpoint answered = attempts == null ? null : attempts.current();
    if (answered != null) {
      cluster.recordResponse(answered, record.grpcStatus, record.httpStatus);
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
    if (retryHold != null) {
      retryHold.drop(); // never sent: the client hears of this failure instead
    }
    if (closed || responseEnded) {
      return;
    }
    if (deadline != null && deadline.isDue()) {
      // The backend enforces the grpc-timeout forwarded to it and may cancel just before this
      // call's own timer runs: the cause is the deadline either way.
      deadline.cancel();
      onDeadline();
      return;
    }
    UpstreamEndpoint current = attempts.current();
    String where = current == null ? record.upstream : current.name();
    if (current != null && !refused) {
      cluster.recordFailure(current, cause);
    }
    releaseEndpoint();
    if (refused && !responseStarted && body.replayable() && attempts.canRetry()) {
      attempts.failed(where + ": " + cause, LocalReplyReason.UPSTREAM_RESET);
      pickAndAcquire();
      return;
    }
    String msg = "ferry: cluster '" + cluster.name() + "': " + where + ": " + cause;
    endWithError(GrpcLocalReply.UNAVAILABLE, 502, LocalReplyReason.UPSTREAM_RESET, msg);
  }

  private void onDeadline() {
    if (closed || responseEnded) {
      return;
    }
    if (up != null) {
      up.reset(upId, Http2Error.CANCEL);
      up = null;
    }
    releaseEndpoint();
    String msg =
        "ferry: deadline of "
            + deadline.timeoutMillis()
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
      record.localReply = reason;
      record.grpcStatus = status;
      responseEnded = true;
      down.writeHeaders(downId, GrpcLocalReply.trailers(status, msg, reason), true);
    } else {
      record.localReply = reason;
      responseEnded = true;
      down.reset(downId, Http2Error.INTERNAL_ERROR);
    }
  }

  private void localReply(int status, int httpCode, LocalReplyReason reason, String msg) {
    record.localReply = reason;
    responseStarted = true;
    responseEnded = true;
    cancelDeadline();
    releasePending();
    if (grpc) {
      record.grpcStatus = status;
      record.httpStatus = 200;
      down.writeHeaders(downId, GrpcLocalReply.trailersOnly(status, msg, reason), true);
    } else {
      record.httpStatus = httpCode;
      HttpLocalReply.write(down, downId, httpCode, msg, reason, retryAfterSeconds);
    }
  }

  private void releasePending() {
    int held = body.releaseAll();
    if (held > 0) {
      buffered(-held);
      down.consume(downId, held);
    }
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel();
    }
  }

  /** The client stream closed, whatever the reason: release everything, log the call. */
  public void onDownstreamClosed() {
    if (closed) {
      return;
    }
    closed = true;
    if (reflection != null) {
      reflection.onDownstreamClosed();
    }
    cancelDeadline();
    if (up != null && !responseEnded) {
      up.reset(upId, Http2Error.CANCEL);
    }
    up = null;
    releasePending();
    releaseEndpoint();
    if (holdsClusterSlot) {
      holdsClusterSlot = false;
      cluster.callFinished();
    }
    worker.metrics().callEnded(bufferedPeak);
    if (meters != null) {
      meters.streamClosed();
      meters
          .method(record.path(), record.method(), grpc)
          .callEnded(
              record.grpcStatus,
              System.nanoTime() - record.startNanos,
              record.bytesIn,
              record.bytesOut,
              requestMessages == null ? 0 : requestMessages.messages(),
              responseMessages == null ? 0 : responseMessages.messages());
    }
    if (record.localReply != null) {
      worker.meters().localReply(record.localReply);
    }
    AccessLog log = worker.accessLog();
    if (log != AccessLog.OFF) {
      log.log(record.toEntry(down, grpc));
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
}
