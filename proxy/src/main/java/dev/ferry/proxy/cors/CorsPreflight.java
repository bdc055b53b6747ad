package dev.ferry.proxy.cors;

import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.transport.StreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * The proxy's own answer to a preflight from an allowed origin: 204 with the route's CORS headers.
 * A preflight is never forwarded: backends of gRPC know nothing of OPTIONS.
 */
public final class CorsPreflight implements StreamHandler {
  private final Downstream down;
  private final int streamId;
  private final CorsPolicy policy;
  private final CharSequence origin;

  /** Answers the preflight on stream {@code streamId} from {@code origin}. */
  public CorsPreflight(Downstream down, int streamId, CorsPolicy policy, CharSequence origin) {
    this.down = down;
    this.streamId = streamId;
    this.policy = policy;
    this.origin = origin;
  }

  @Override
  public void start() {
    Http2Headers h = new DefaultHttp2Headers(false, 8);
    h.status("204");
    policy.addPreflight(h, origin);
    h.setInt("content-length", 0);
    down.writeHeaders(streamId, h, true);
  }

  @Override
  public void onRequestData(ByteBuf data, boolean endStream) {
    // A preflight has no body; whatever comes is acknowledged and dropped.
    down.consume(streamId, data.readableBytes());
    data.release();
  }

  @Override
  public void onRequestTrailers(Http2Headers trailers) {}

  @Override
  public void onDownstreamClosed() {}
}
