package dev.ferry.proxy.call;

import dev.ferry.proxy.route.Route;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.status.ProxyStatus;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.transport.StreamHandler;
import dev.ferry.proxy.upstream.CallCluster;
import dev.ferry.proxy.upstream.CallEndpoint;
import dev.ferry.proxy.upstream.ConnectCallback;
import dev.ferry.proxy.upstream.Upstream;
import dev.ferry.proxy.upstream.UpstreamFailure;
import dev.ferry.proxy.upstream.UpstreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.concurrent.TimeUnit;

/**
 * One call through the proxy: a client stream tied to a backend stream, its life one phase.
 *
 * <pre>
 * ADMITTING ─admitted─▶ CONNECTING ─stream open─▶ AWAITING_RESPONSE ─headers─▶ STREAMING
 *                           ▲                        │         │                 ▲
 *                           │  refused stream, or a  │         │ retryable       │ a message,
 *                           ├─ status to retry ◀─────┘         ▼ route           │ or trailers
 *                           └─ status to retry ◀────── HOLDING_FOR_RETRY ────────┘
 * </pre>
 *
 * Every phase may end in DONE: refused at admission, no endpoint left, deadline, reset, a message
 * too large, the client gone, or the end of the response.
 *
 * <p>Its jobs each have a class: {@link CallAdmission}, {@link UpstreamAttempts} with {@link
 * RetryHold}, {@link RequestPump} and {@link ResponsePump}, {@link LocalReply}, {@link CallRecord}.
 *
 * <p>Everything runs on the client connection's event loop, which also owns the backend connection,
 * so nothing needs a lock.
 */
public final class ProxyCall implements StreamHandler, UpstreamListener, ConnectCallback {
  /** Where a call is in its life; {@link #moveTo} is the only place that changes it. */
  enum Phase {
    ADMITTING,
    CONNECTING,
    AWAITING_RESPONSE,
    HOLDING_FOR_RETRY,
    STREAMING,
    DONE
  }

  private final Worker worker;
  private final CallAdmission admission;
  private final Downstream down;
  private final int downId;
  private final Http2Headers request;
  private final Route route;
  private final CallAdmission.Refused refusedUpFront; // null unless refused before admission
  private final CallRecord record;
  private final RequestPump requestPump;
  private final ResponsePump responsePump;
  private Phase phase = Phase.ADMITTING;
  private CallCluster cluster; // once admitted
  private CallCluster slot; // whose in-flight slot the call holds, until its stream closes
  private UpstreamAttempts attempts; // once admitted
  private RetryHold retryHold; // only on a retryable route
  private CallDeadline deadline; // null when the call has none
  private Upstream up; // while a backend stream is open
  private int upId = -1;
  private long clientReset = -1; // the client's RST_STREAM code, once it sent one

  ProxyCall(
      Worker worker,
      CallAdmission admission,
      Downstream down,
      int downId,
      Http2Headers request,
      boolean endStream,
      CallRecord record,
      Route route,
      CallAdmission.Refused refusedUpFront) {
    this.worker = worker;
    this.admission = admission;
    this.down = down;
    this.downId = downId;
    this.request = request;
    this.route = route;
    this.refusedUpFront = refusedUpFront;
    this.record = record;
    this.requestPump = new RequestPump(down, downId, record, endStream);
    this.responsePump = new ResponsePump(down, downId, record);
  }

  Phase phase() {
    return phase;
  }

  /** Every change of phase; the arrows of the diagram above are the ones allowed. */
  private void moveTo(Phase next) {
    assert switch (next) {
          case ADMITTING -> false;
          case CONNECTING -> phase != Phase.STREAMING && phase != Phase.DONE;
          case AWAITING_RESPONSE -> phase == Phase.CONNECTING;
          case HOLDING_FOR_RETRY -> phase == Phase.AWAITING_RESPONSE;
          case STREAMING -> phase == Phase.AWAITING_RESPONSE || phase == Phase.HOLDING_FOR_RETRY;
          case DONE -> phase != Phase.DONE;
        }
        : phase + " -> " + next;
    phase = next;
  }

  @Override
  public void start() {
    if (refusedUpFront != null) {
      end(refusedUpFront.status(), null, refusedUpFront.retryAfterSeconds());
      return;
    }
    record.meters = worker.routeMeters(route);
    record.meters.streamOpened();
    var decision = admission.admit(route, request, record.isGrpc(), down, record.path());
    if (decision instanceof CallAdmission.Refused r) {
      if (r.status().reason() == LocalReplyReason.DIRECT_REPLY) {
        record.detail = "route '" + route.name() + "' answers with its direct reply";
      }
      end(r.status(), null, r.retryAfterSeconds());
      return;
    }
    var admitted = (CallAdmission.Admitted) decision;
    cluster = admitted.cluster();
    slot = cluster;
    retryHold = admitted.retryHold();
    requestPump.limit(admitted.sizeCheck());
    long timeout = admitted.timeoutNanos();
    deadline =
        CallDeadline.start(
            down.eventLoop(),
            record.startNanos,
            timeout,
            admitted.deadlineIsRoutes(),
            this::onDeadline);
    attempts = new UpstreamAttempts(cluster, request);
    moveTo(Phase.CONNECTING);
    // After the frames of this read: a stream the client resets in the same burst (rapid reset,
    // CVE-2023-44487) then never becomes a backend stream, so resets cannot storm the backends.
    down.eventLoop().execute(this::tryNextEndpoint);
  }

  /** CONNECTING: asks the next endpoint for a connection, or ends the call when none is left. */
  private void tryNextEndpoint() {
    if (phase != Phase.CONNECTING) {
      return;
    }
    CallEndpoint e = attempts.next();
    if (e == null) {
      if (!giveLastAnswer()) {
        end(attempts.noneLeft());
      }
      return;
    }
    if (attempts.lastFailure() != null) {
      worker.meters().retry(cluster.name());
    }
    e.acquire(this);
  }

  @Override
  public void onUpstreamReady(Upstream u) {
    if (phase != Phase.CONNECTING) {
      return; // the call ended meanwhile, and let its endpoint go then
    }
    if (deadline != null) {
      // The backend sees the time that is left, not what the client asked for at the start.
      request.set(ProxyHeaders.GRPC_TIMEOUT, GrpcTimeout.format(deadline.remainingNanos()));
    }
    int id = requestPump.open(u, request, this);
    if (id >= 0) {
      up = u;
      upId = id;
      record.upstream = u.endpointName();
      moveTo(Phase.AWAITING_RESPONSE);
      requestPump.sendHeld();
    } else if (attempts.mayReacquire()) {
      attempts.current().acquire(this); // the connection filled up; the pool opens another
    } else {
      onConnectFailed(UpstreamFailure.noStreamCapacity(u.endpointName()));
    }
  }

  @Override
  public void onConnectFailed(UpstreamFailure failure) {
    if (phase == Phase.CONNECTING) {
      attempts.connectFailed(failure);
      tryNextEndpoint();
    }
  }

  @Override
  public void onRequestData(ByteBuf data, boolean endStream) {
    record.requestData(data);
    if (phase == Phase.DONE) {
      requestPump.drop(data, endStream);
    } else if (endStream && record.requestInMessage()) {
      // The backend would fail to parse it, or wait for the rest forever: the client's fault.
      requestPump.drop(data, true);
      end(LocalReply.requestEndsInMessage(), Http2Error.CANCEL, 0);
    } else if (!requestPump.take(data, endStream)) {
      end(LocalReply.tooLarge(requestPump.sizeCheck()), Http2Error.CANCEL, 0);
    }
  }

  @Override
  public void onRequestTrailers(Http2Headers trailers) {
    requestPump.trailers(trailers, phase != Phase.DONE);
  }

  @Override
  public void onResponseHeaders(Http2Headers headers, boolean endStream) {
    if (phase == Phase.AWAITING_RESPONSE) {
      CharSequence status = headers.status();
      int code = status == null ? 0 : GrpcTimeout.parseDigits(status);
      if (code >= 100 && code < 200 && !endStream) {
        return; // informational: the client asked HTTP/2 semantics of the backend, not of us
      }
      record.httpStatus = code;
      if (retryHold != null && !endStream) {
        retryHold.hold(headers);
        moveTo(Phase.HOLDING_FOR_RETRY);
        return;
      }
      if (retryHold != null && retryAfter(headers)) {
        return; // Trailers-Only with a status the route retries
      }
      commit(headers);
    } else if (phase == Phase.HOLDING_FOR_RETRY) {
      if (endStream && retryAfter(headers)) {
        return; // trailers right after headers: no message reached the client yet
      }
      sendHeldHeaders();
    } else if (phase != Phase.STREAMING) {
      return;
    }
    if (endStream) {
      record.grpcStatus = RetryHold.status(headers);
      if (record.grpcStatus != 0) {
        record.grpcMessage = headers.get(GrpcLocalReply.GRPC_MESSAGE); // for the log's detail
      }
      responseEnded();
    }
    down.writeHeaders(downId, headers, endStream);
  }

  @Override
  public void onResponseData(ByteBuf data, boolean endStream) {
    record.responseData(data);
    Upstream u = up;
    int id = upId;
    if (phase == Phase.HOLDING_FOR_RETRY) {
      sendHeldHeaders(); // a message: this response is the one the client gets
    } else if (phase == Phase.AWAITING_RESPONSE) {
      // DATA before HEADERS: not HTTP; the client must not see it as a response body.
      data.release();
      var status = LocalReply.dataBeforeHeaders(cluster.name(), record.upstream);
      end(status, Http2Error.PROTOCOL_ERROR, 0);
      return;
    }
    if (phase != Phase.STREAMING || u == null) {
      ResponsePump.drop(u, id, data);
      return;
    }
    if (endStream) {
      responseEnded();
    }
    responsePump.forward(u, id, data, endStream);
  }

  @Override
  public void onUpstreamFailed(UpstreamFailure failure) {
    up = null;
    requestPump.detach();
    if (retryHold != null) {
      retryHold.drop(); // never sent: the client hears of this failure instead
    }
    if (phase == Phase.DONE || phase == Phase.CONNECTING) {
      return; // not this stream's news any more
    }
    if (deadline != null && deadline.isDue()) {
      // The backend enforces the grpc-timeout forwarded to it and may cancel just before this
      // call's own timer runs: the cause is the deadline either way.
      onDeadline();
      return;
    }
    UpstreamFailure here = attempts.streamFailed(failure, record.upstream);
    if (failure.refused()
        && phase != Phase.STREAMING
        && requestPump.replayable()
        && attempts.canRetry()) {
      moveTo(Phase.CONNECTING);
      tryNextEndpoint();
    } else if (phase == Phase.STREAMING || !giveLastAnswer()) {
      end(LocalReply.upstreamFailed(cluster.name(), here, requestSent()));
    }
  }

  private void onDeadline() {
    if (phase != Phase.DONE) {
      var status =
          LocalReply.deadlineExceeded(
              deadline,
              cluster.name(),
              phase == Phase.STREAMING || phase == Phase.HOLDING_FOR_RETRY);
      end(status, Http2Error.CANCEL, 0);
    }
  }

  /** What the request had sent to the backend when its stream failed, for the detail. */
  private String requestSent() {
    if (record.bytesIn == 0) {
      return requestPump.ended()
          ? "after the whole request had been sent (headers, no body)"
          : "after the request's headers, before any of its body";
    }
    return "after the request's headers and "
        + record.bytesIn
        + " body bytes had been sent"
        + (requestPump.ended() ? " (the whole request)" : ", before its end");
  }

  @Override
  public void onClientReset(long errorCode) {
    clientReset = errorCode;
  }

  @Override
  public void onDownstreamClosed() {
    if (record.isFinished()) {
      return;
    }
    if (phase != Phase.DONE) {
      record.endedBy = LocalReplyReason.CLIENT_CANCELLED;
      record.detail = ClientCancel.describe(clientReset, phase, deadline);
      done(Http2Error.CANCEL); // the client went away (or reset the stream) first
    }
    requestPump.releaseAll();
    if (slot != null) {
      slot.callFinished();
      slot = null;
    }
    if (attempts != null) {
      record.attempts = attempts.log();
    }
    record.finish(down);
  }

  /**
   * Tries the call again after {@code end} (Trailers-Only or trailers) when its status is one the
   * route retries and attempts, budget and deadline allow; returns whether it does. Nothing of this
   * response has reached the client.
   */
  private boolean retryAfter(Http2Headers end) {
    int status = RetryHold.status(end);
    long wait =
        record.isGrpc() ? retryHold.nextWait(status, requestPump.replayable(), deadline) : -1;
    if (wait < 0) {
      return false;
    }
    retryHold.keepAnswer(end, record.upstream); // before the reset, which may drop what is held
    closeUpstream(requestPump.ended() ? null : Http2Error.CANCEL);
    CallEndpoint next = attempts.retryAfterStatus(status, record.httpStatus, record.upstream);
    if (next == null) {
      return false; // no endpoint left: the client gets this answer after all
    }
    retryHold.taken();
    record.httpStatus = 0;
    worker.meters().retry(cluster.name());
    moveTo(Phase.CONNECTING);
    Runnable retry =
        () -> {
          if (phase == Phase.CONNECTING) {
            next.acquire(this);
          }
        };
    down.eventLoop().schedule(retry, wait, TimeUnit.NANOSECONDS);
    return true;
  }

  /**
   * Ends the call with the answer of an earlier try when every try after it failed without one;
   * returns whether there was such an answer. Nothing of a response has reached the client.
   */
  private boolean giveLastAnswer() {
    Http2Headers answer = retryHold == null ? null : retryHold.lastAnswer();
    if (answer == null) {
      return false;
    }
    done(null);
    record.upstream = retryHold.lastAnswerFrom();
    CharSequence status = answer.status();
    record.httpStatus = status == null ? 0 : GrpcTimeout.parseDigits(status);
    record.grpcStatus = RetryHold.status(answer);
    ProxyHeaders.stripHopByHop(answer);
    if (!route.responseRewriter().isEmpty()) {
      route.responseRewriter().apply(answer);
    }
    down.writeHeaders(downId, answer, true);
    return true;
  }

  private void sendHeldHeaders() {
    Http2Headers h = retryHold.release();
    commit(h);
    down.writeHeaders(downId, h, false);
  }

  /** The response's first headers go to the client: from now on the call is committed. */
  private void commit(Http2Headers headers) {
    requestPump.stopReplay();
    ProxyHeaders.stripHopByHop(headers);
    if (!route.responseRewriter().isEmpty()) {
      route.responseRewriter().apply(headers);
    }
    moveTo(Phase.STREAMING);
  }

  /** The backend's response ended; its last frame goes to the client right after. */
  private void responseEnded() {
    attempts.answered(record.grpcStatus, record.httpStatus);
    // The rest of the request has nowhere to go. The client's stream stays half-closed: a gRPC
    // client cancels its side when it sees the status; resetting it here would race its DATA.
    done(requestPump.ended() ? null : Http2Error.CANCEL);
  }

  private void end(ProxyStatus status) {
    end(status, null, 0);
  }

  /**
   * Ends the call with {@code status}: a local reply when the client has seen nothing of a
   * response, else trailers or a reset. {@code upstreamReset} resets an open backend stream.
   */
  private void end(ProxyStatus status, Http2Error upstreamReset, long retryAfterSeconds) {
    boolean started = phase == Phase.STREAMING;
    done(upstreamReset);
    if (started) {
      LocalReply.cutShort(down, downId, record, status);
    } else {
      LocalReply.answer(down, downId, record, status, retryAfterSeconds);
    }
  }

  /**
   * Enters DONE: the backend stream, the endpoint, the timer and the held request go. Comes before
   * the last write to the client, which may close the stream at once (HTTP/1.1).
   */
  private void done(Http2Error upstreamReset) {
    moveTo(Phase.DONE);
    closeUpstream(upstreamReset);
    if (deadline != null) {
      deadline.cancel();
    }
    requestPump.releaseAll();
    if (attempts != null) {
      attempts.release();
    }
  }

  private void closeUpstream(Http2Error reset) {
    if (up != null && reset != null) {
      up.reset(upId, reset);
    }
    up = null;
    requestPump.detach();
  }
}
