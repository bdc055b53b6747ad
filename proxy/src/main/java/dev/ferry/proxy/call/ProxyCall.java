package dev.ferry.proxy.call;

import dev.ferry.proxy.route.Route;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.status.ProxyStatus;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.transport.StreamHandler;
import dev.ferry.proxy.upstream.CallCluster;
import dev.ferry.proxy.upstream.CallEndpoint;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.concurrent.TimeUnit;

/**
 * One call through the proxy: a client stream tied to a backend stream, its life one {@link
 * CallPhase}, which changes only in {@link #moveTo}.
 *
 * <p>This class admits the call, starts each try on an endpoint, takes the client's request and
 * ends the call. Each try is an {@link UpstreamExchange}: it gets the connection and the backend
 * stream, then takes the response (holds it back, retries, commits it to the client, passes it on).
 * The other jobs each have a class: {@link CallAdmission}, {@link UpstreamAttempts} with {@link
 * RetryHold}, {@link RequestPump} and {@link ResponsePump}, {@link LocalReply}, {@link CallRecord}.
 *
 * <p>Everything runs on the client connection's event loop, which also owns the backend connection,
 * so nothing needs a lock.
 */
public final class ProxyCall implements StreamHandler {
  private final Worker worker;
  private final CallAdmission admission;
  private final Http2Headers request;
  private final CallAdmission.Refused refusedUpFront; // null unless refused before admission
  // The call's parts that its UpstreamExchange works on too.
  final Downstream down;
  final int downId;
  final Route route;
  final CallRecord record;
  final RequestPump requestPump;
  final ResponsePump responsePump;
  CallCluster cluster; // once admitted
  UpstreamAttempts attempts; // once admitted
  RetryHold retryHold; // only on a retryable route
  CallDeadline deadline; // null when the call has none
  private CallPhase phase = CallPhase.ADMITTING;
  private CallCluster slot; // whose in-flight slot the call holds, until its stream closes
  private UpstreamExchange exchange; // while a backend stream is open
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

  CallPhase phase() {
    return phase;
  }

  /** Every change of phase, held to the arrows {@link CallPhase} allows. */
  void moveTo(CallPhase next) {
    assert next.mayFollow(phase) : phase + " -> " + next;
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
    moveTo(CallPhase.CONNECTING);
    // After the frames of this read: a stream the client resets in the same burst (rapid reset,
    // CVE-2023-44487) then never becomes a backend stream, so resets cannot storm the backends.
    down.eventLoop().execute(this::tryNextEndpoint);
  }

  /** CONNECTING: the next try asks its endpoint for a connection; none left ends the call. */
  void tryNextEndpoint() {
    if (phase != CallPhase.CONNECTING) {
      return;
    }
    CallEndpoint e = attempts.next();
    if (e == null) {
      if (!giveLastAnswer()) {
        end(attempts.noneLeft(), null, 0);
      }
      return;
    }
    if (attempts.lastFailure() != null) {
      worker.meters().retry(cluster.name());
    }
    new UpstreamExchange(this, e).connect();
  }

  /** Back to CONNECTING after a refused stream: the request is replayed on the next endpoint. */
  void replayElsewhere() {
    moveTo(CallPhase.CONNECTING);
    tryNextEndpoint();
  }

  /** Back to CONNECTING after a status the route retries: {@code next} is asked after a wait. */
  void retryOn(CallEndpoint next, long waitNanos) {
    worker.meters().retry(cluster.name());
    moveTo(CallPhase.CONNECTING);
    Runnable retry =
        () -> {
          if (phase == CallPhase.CONNECTING) {
            new UpstreamExchange(this, next).connect();
          }
        };
    down.eventLoop().schedule(retry, waitNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The request headers for a backend stream opened now: the backend sees the time that is left of
   * the deadline, not what the client asked for at the start.
   */
  Http2Headers requestForBackend() {
    if (deadline != null) {
      request.set(ProxyHeaders.GRPC_TIMEOUT, GrpcTimeout.format(deadline.remainingNanos()));
    }
    return request;
  }

  /** {@code opened}'s backend stream now carries the call; what the request held goes on it. */
  void streamOpened(UpstreamExchange opened, String endpoint) {
    exchange = opened;
    record.upstream = endpoint;
    moveTo(CallPhase.AWAITING_RESPONSE);
    requestPump.sendHeld();
  }

  @Override
  public void onRequestData(ByteBuf data, boolean endStream) {
    record.requestData(data);
    if (phase == CallPhase.DONE) {
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
    requestPump.trailers(trailers, phase != CallPhase.DONE);
  }

  @Override
  public void refuseRequest(ProxyStatus status) {
    if (phase != CallPhase.DONE) {
      end(status, Http2Error.CANCEL, 0);
    }
  }

  void onDeadline() {
    if (phase != CallPhase.DONE) {
      var status =
          LocalReply.deadlineExceeded(
              deadline,
              cluster.name(),
              phase == CallPhase.STREAMING || phase == CallPhase.HOLDING_FOR_RETRY);
      end(status, Http2Error.CANCEL, 0);
    }
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
    if (phase != CallPhase.DONE) {
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
   * Ends the call with the answer of an earlier try when every try after it failed without one;
   * returns whether there was such an answer. Nothing of a response has reached the client.
   */
  boolean giveLastAnswer() {
    if (retryHold == null || !retryHold.hasLastAnswer()) {
      return false;
    }
    done(null);
    retryHold.sendLastAnswer(down, downId, record);
    return true;
  }

  /**
   * Ends the call with {@code status}: a local reply when the client has seen nothing of a
   * response, else trailers or a reset. {@code upstreamReset} resets an open backend stream.
   */
  void end(ProxyStatus status, Http2Error upstreamReset, long retryAfterSeconds) {
    boolean started = phase == CallPhase.STREAMING;
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
  void done(Http2Error upstreamReset) {
    moveTo(CallPhase.DONE);
    closeUpstream(upstreamReset);
    if (deadline != null) {
      deadline.cancel();
    }
    requestPump.releaseAll();
    if (attempts != null) {
      attempts.release();
    }
  }

  /** Lets the backend stream go, resetting it with {@code reset} unless that is null. */
  void closeUpstream(Http2Error reset) {
    if (exchange != null) {
      exchange.close(reset);
      exchange = null;
    }
    requestPump.detach();
  }
}
