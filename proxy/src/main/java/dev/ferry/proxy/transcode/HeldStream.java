package dev.ferry.proxy.transcode;

import dev.ferry.proxy.transport.StreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A client stream whose server is not chosen yet (the rule table is being asked for): what arrives
 * meanwhile is kept, unacknowledged, so the client's window bounds it, and handed in order to the
 * server once {@link #decide} names it. A client gone before that takes nothing with it.
 */
final class HeldStream implements StreamHandler {
  /** A piece of the request: data (with its end flag) or the trailers. */
  private record Piece(ByteBuf data, boolean endStream, Http2Headers trailers) {}

  private final List<Piece> held = new ArrayList<>();
  private StreamHandler next;
  private boolean started;
  private boolean closed;
  private long resetCode = -1;

  @Override
  public void start() {
    started = true;
    if (next != null) {
      next.start();
    }
  }

  /** Hands the stream to the handler {@code server} makes, unless the client went away. */
  void decide(Supplier<StreamHandler> server) {
    if (closed) {
      return;
    }
    next = server.get();
    if (started) {
      next.start();
    }
    for (Piece p : held) {
      if (p.trailers() != null) {
        next.onRequestTrailers(p.trailers());
      } else {
        next.onRequestData(p.data(), p.endStream());
      }
    }
    held.clear();
    if (resetCode >= 0) {
      next.onClientReset(resetCode);
    }
  }

  @Override
  public void onRequestData(ByteBuf data, boolean endStream) {
    if (next != null) {
      next.onRequestData(data, endStream);
    } else {
      held.add(new Piece(data, endStream, null));
    }
  }

  @Override
  public void onRequestTrailers(Http2Headers trailers) {
    if (next != null) {
      next.onRequestTrailers(trailers);
    } else {
      held.add(new Piece(null, true, trailers));
    }
  }

  @Override
  public void onClientReset(long errorCode) {
    if (next != null) {
      next.onClientReset(errorCode);
    } else {
      resetCode = errorCode;
    }
  }

  @Override
  public void onDownstreamClosed() {
    if (next != null) {
      next.onDownstreamClosed();
      return;
    }
    closed = true;
    for (Piece p : held) {
      if (p.data() != null) {
        p.data().release();
      }
    }
    held.clear();
  }
}
