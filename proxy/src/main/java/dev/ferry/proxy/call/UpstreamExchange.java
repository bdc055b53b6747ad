package dev.ferry.proxy.call;

import dev.ferry.proxy.upstream.CallEndpoint;
import dev.ferry.proxy.upstream.ConnectCallback;
import dev.ferry.proxy.upstream.Upstream;
import dev.ferry.proxy.upstream.UpstreamFailure;
import dev.ferry.proxy.upstream.UpstreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * One try of a call on one endpoint, from asking it for a connection to the end of the backend
 * stream: what the call does when the connection comes or fails (CONNECTING), and when the
 * response's headers, body or failure arrive (AWAITING_RESPONSE, HOLDING_FOR_RETRY, STREAMING):
 * hold the headers back, try again, commit the response to the client, pass it on, end the call.
 * The phase is its call's, changed only by {@link ProxyCall#moveTo}; another try is another
 * exchange.
 */
final class UpstreamExchange implements ConnectCallback, UpstreamListener {
  private final ProxyCall call;
  private final CallEndpoint endpoint;
  private Upstream up; // once its stream is open
  private int id = -1;
  private boolean open; // from the stream's opening until it fails or the call lets it go

  UpstreamExchange(ProxyCall call, CallEndpoint endpoint) {
    this.call = call;
    this.endpoint = endpoint;
  }

  /** Asks the endpoint for a connection that can take the call's stream. */
  void connect() {
    endpoint.acquire(this);
  }

  @Override
  public void onUpstreamReady(Upstream u) {
    if (call.phase() != CallPhase.CONNECTING) {
      return; // the call ended meanwhile, and let its endpoint go then
    }
    int opened = call.requestPump.open(u, call.requestForBackend(), this);
    if (opened >= 0) {
      up = u;
      id = opened;
      open = true;
      call.streamOpened(this, u.endpointName());
    } else if (call.attempts.mayReacquire()) {
      endpoint.acquire(this); // the connection filled up; the pool opens another
    } else {
      onConnectFailed(UpstreamFailure.noStreamCapacity(u.endpointName()));
    }
  }

  @Override
  public void onConnectFailed(UpstreamFailure failure) {
    if (call.phase() == CallPhase.CONNECTING) {
      call.attempts.connectFailed(failure);
      call.tryNextEndpoint();
    }
  }

  /** The call lets the stream go, resetting it with {@code reset} unless that is null. */
  void close(Http2Error reset) {
    if (open && reset != null) {
      up.reset(id, reset);
    }
    open = false;
  }

  @Override
  public void onResponseHeaders(Http2Headers headers, boolean endStream) {
    CallPhase phase = call.phase();
    if (phase == CallPhase.AWAITING_RESPONSE) {
      int code = ProxyHeaders.httpStatus(headers);
      if (code >= 100 && code < 200 && !endStream) {
        return; // informational: the client asked HTTP/2 semantics of the backend, not of us
      }
      call.record.httpStatus = code;
      if (call.retryHold != null && !endStream) {
        call.retryHold.hold(headers);
        call.moveTo(CallPhase.HOLDING_FOR_RETRY);
        return;
      }
      if (call.retryHold != null && retryAfter(headers)) {
        return; // Trailers-Only with a status the route retries
      }
      commit(headers);
    } else if (phase == CallPhase.HOLDING_FOR_RETRY) {
      if (endStream && retryAfter(headers)) {
        return; // trailers right after headers: no message reached the client yet
      }
      sendHeldHeaders();
    } else if (phase != CallPhase.STREAMING) {
      return;
    }
    if (endStream) {
      CallRecord record = call.record;
      record.grpcStatus = RetryHold.status(headers);
      if (record.grpcStatus != 0) {
        record.grpcMessage = headers.get(GrpcLocalReply.GRPC_MESSAGE); // for the log's detail
      }
      responseEnded();
    }
    call.down.writeHeaders(call.downId, headers, endStream);
  }

  @Override
  public void onResponseData(ByteBuf data, boolean endStream) {
    call.record.responseData(data);
    Upstream ackTo = open ? up : null; // as it is now: what follows may close the stream
    CallPhase phase = call.phase();
    if (phase == CallPhase.HOLDING_FOR_RETRY) {
      sendHeldHeaders(); // a message: this response is the one the client gets
    } else if (phase == CallPhase.AWAITING_RESPONSE) {
      // DATA before HEADERS: not HTTP; the client must not see it as a response body.
      data.release();
      var status = LocalReply.dataBeforeHeaders(call.cluster.name(), call.record.upstream);
      call.end(status, Http2Error.PROTOCOL_ERROR, 0);
      return;
    }
    if (call.phase() != CallPhase.STREAMING || ackTo == null) {
      ResponsePump.drop(ackTo, id, data);
      return;
    }
    if (endStream) {
      responseEnded();
    }
    call.responsePump.forward(up, id, data, endStream);
  }

  @Override
  public void onUpstreamFailed(UpstreamFailure failure) {
    call.closeUpstream(null);
    if (call.retryHold != null) {
      call.retryHold.drop(); // never sent: the client hears of this failure instead
    }
    CallPhase phase = call.phase();
    if (phase == CallPhase.DONE || phase == CallPhase.CONNECTING) {
      return; // not this stream's news any more
    }
    if (call.deadline != null && call.deadline.isDue()) {
      // The backend enforces the grpc-timeout forwarded to it and may cancel just before this
      // call's own timer runs: the cause is the deadline either way.
      call.onDeadline();
      return;
    }
    UpstreamFailure here = call.attempts.streamFailed(failure, call.record.upstream);
    if (failure.refused()
        && phase != CallPhase.STREAMING
        && call.requestPump.replayable()
        && call.attempts.canRetry()) {
      call.replayElsewhere();
    } else if (phase == CallPhase.STREAMING || !call.giveLastAnswer()) {
      call.end(LocalReply.upstreamFailed(call.cluster.name(), here, requestSent()), null, 0);
    }
  }

  /** What the request had sent to the backend when its stream failed, for the detail. */
  private String requestSent() {
    long sent = call.record.bytesIn;
    boolean ended = call.requestPump.ended();
    if (sent == 0) {
      return ended
          ? "after the whole request had been sent (headers, no body)"
          : "after the request's headers, before any of its body";
    }
    return "after the request's headers and "
        + sent
        + " body bytes had been sent"
        + (ended ? " (the whole request)" : ", before its end");
  }

  /**
   * Tries the call again after {@code end} (Trailers-Only or trailers) when its status is one the
   * route retries and attempts, budget and deadline allow; returns whether it does. Nothing of this
   * response has reached the client.
   */
  private boolean retryAfter(Http2Headers end) {
    RetryHold hold = call.retryHold;
    CallRecord record = call.record;
    int status = RetryHold.status(end);
    long wait =
        record.isGrpc() ? hold.nextWait(status, call.requestPump.replayable(), call.deadline) : -1;
    if (wait < 0) {
      return false;
    }
    hold.keepAnswer(end, record.upstream); // before the reset, which may drop what is held
    call.closeUpstream(call.requestPump.ended() ? null : Http2Error.CANCEL);
    CallEndpoint next = call.attempts.retryAfterStatus(status, record.httpStatus, record.upstream);
    if (next == null) {
      return false; // no endpoint left: the client gets this answer after all
    }
    hold.taken();
    record.httpStatus = 0;
    call.retryOn(next, wait);
    return true;
  }

  private void sendHeldHeaders() {
    Http2Headers h = call.retryHold.release();
    commit(h);
    call.down.writeHeaders(call.downId, h, false);
  }

  /** The response's first headers go to the client: from now on the call is committed. */
  private void commit(Http2Headers headers) {
    call.requestPump.stopReplay();
    ProxyHeaders.prepareResponse(headers, call.route);
    call.moveTo(CallPhase.STREAMING);
  }

  /** The backend's response ended; its last frame goes to the client right after. */
  private void responseEnded() {
    call.attempts.answered(call.record.grpcStatus, call.record.httpStatus);
    // The rest of the request has nowhere to go. The client's stream stays half-closed: a gRPC
    // client cancels its side when it sees the status; resetting it here would race its DATA.
    call.done(call.requestPump.ended() ? null : Http2Error.CANCEL);
  }
}
