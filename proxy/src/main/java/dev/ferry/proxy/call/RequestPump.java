package dev.ferry.proxy.call;

import dev.ferry.proxy.limits.GrpcMessageSizeCheck;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.upstream.Upstream;
import dev.ferry.proxy.upstream.UpstreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.List;

/**
 * The request's body on its way from the client to the backend. Bytes are acknowledged to the
 * client only once the backend stream has taken them, so a slow backend costs one flow-control
 * window; until the backend stream opens they wait here, bounded by that same window. It also keeps
 * what was sent for a replay on another connection (see {@link RequestBuffer}).
 */
final class RequestPump {
  private final Downstream down;
  private final int downId;
  private final CallRecord record;
  private final RequestBuffer body = new RequestBuffer();
  private GrpcMessageSizeCheck sizeCheck;
  private boolean ended;
  private Http2Headers trailers; // kept: a replay sends them again
  private Upstream up;
  private int upId = -1;
  private List<ByteBuf> toReplay = List.of();

  RequestPump(Downstream down, int downId, CallRecord record, boolean ended) {
    this.down = down;
    this.downId = downId;
    this.record = record;
    this.ended = ended;
  }

  /** Enforces the route's request message limit from now on. */
  void limit(GrpcMessageSizeCheck check) {
    this.sizeCheck = check;
  }

  /** Whether the client has sent the whole request. */
  boolean ended() {
    return ended;
  }

  /**
   * Takes a piece of the body (owned): to the backend stream if it is open, else held until it
   * opens. Returns false, having dropped it, when it carries a message over the route's limit.
   */
  boolean take(ByteBuf data, boolean endStream) {
    if (endStream) {
      ended = true;
    }
    if (sizeCheck != null && sizeCheck.exceeds(data)) {
      discard(data);
      return false;
    }
    record.buffered(data.readableBytes());
    if (up != null) {
      forward(data, endStream);
    } else {
      body.hold(data); // until the backend stream opens; the client's window bounds how much
    }
    return true;
  }

  /** Drops a piece of the body that has nowhere to go, acknowledging it to the client. */
  void drop(ByteBuf data, boolean endStream) {
    if (endStream) {
      ended = true;
    }
    discard(data);
  }

  private void discard(ByteBuf data) {
    int n = data.readableBytes();
    data.release();
    down.consume(downId, n);
  }

  /** The request's trailers, which end it; {@code keep} false when they have nowhere to go. */
  void trailers(Http2Headers t, boolean keep) {
    ended = true;
    if (!keep) {
      return;
    }
    trailers = t;
    if (up != null) {
      up.writeTrailers(upId, t);
    }
  }

  /** The message that broke the route's limit, for the reply. */
  GrpcMessageSizeCheck sizeCheck() {
    return sizeCheck;
  }

  /**
   * Opens the backend stream on {@code u}; returns its id, or -1 when the connection could take no
   * stream, in which case everything is kept for the next try. {@link #sendHeld} follows.
   */
  int open(Upstream u, Http2Headers request, UpstreamListener listener) {
    List<ByteBuf> replay = body.takeSent();
    boolean endNow = ended && replay.isEmpty() && !body.hasPending() && trailers == null;
    int id = u.open(request, endNow, listener);
    if (id < 0) {
      for (ByteBuf b : replay) {
        body.sending(b); // keep them for the next try
        b.release();
      }
      return -1;
    }
    up = u;
    upId = id;
    toReplay = replay;
    return id;
  }

  /**
   * Sends the new backend stream everything the call has: what an earlier try sent (a replay), what
   * waited, the trailers.
   */
  void sendHeld() {
    List<ByteBuf> replay = toReplay;
    toReplay = List.of();
    Upstream u = up; // a write may fail at once and take the stream away: then stop
    for (int i = 0; i < replay.size(); i++) {
      if (up != u) {
        replay.get(i).release();
        continue;
      }
      // Sent before, to a backend that refused it; the client's window was settled then.
      boolean last = i == replay.size() - 1;
      send(replay.get(i), ended && last && !body.hasPending() && trailers == null, f -> {});
    }
    ByteBuf buf;
    while (up == u && (buf = body.pollPending()) != null) {
      forward(buf, ended && !body.hasPending() && trailers == null);
    }
    if (up == u && ended && trailers != null) {
      u.writeTrailers(upId, trailers);
    }
  }

  /** The backend stream is gone; what comes next waits for another (or is dropped). */
  void detach() {
    RequestBuffer.releaseEach(toReplay);
    toReplay = List.of();
    up = null;
    upId = -1;
  }

  /** Whether everything sent so far is still held, so the call could be replayed. */
  boolean replayable() {
    return body.replayable();
  }

  /** The backend answered: no replay any more, the copies go. */
  void stopReplay() {
    body.stopReplay();
  }

  /** Releases everything held, acknowledging to the client what never went on. */
  void releaseAll() {
    int held = body.releaseAll();
    if (held > 0) {
      record.buffered(-held);
      down.consume(downId, held);
    }
  }

  /** Sends a piece of the client's body; the client may send more once it has left. */
  private void forward(ByteBuf data, boolean endStream) {
    int n = data.readableBytes();
    send(
        data,
        endStream,
        f -> {
          record.buffered(-n);
          down.consume(downId, n);
        });
  }

  private void send(
      ByteBuf data, boolean endStream, GenericFutureListener<? extends Future<? super Void>> done) {
    body.sending(data);
    up.writeData(upId, data, endStream, done);
  }
}
