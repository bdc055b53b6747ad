package dev.ferry.proxy.cors;

import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.transport.ForwardingDownstream;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * The client of a call from an allowed origin: the first header block of the answer (backend's or
 * ferry's own) gets the CORS headers, so the page may read it; the rest passes unchanged.
 */
public final class CorsDownstream extends ForwardingDownstream {
  private final CorsPolicy policy;
  private final CharSequence origin;
  private boolean headersSent;

  /** Answers {@code origin}'s call through {@code down}. */
  public CorsDownstream(Downstream down, CorsPolicy policy, CharSequence origin) {
    super(down);
    this.policy = policy;
    this.origin = origin;
  }

  @Override
  public void writeHeaders(int streamId, Http2Headers headers, boolean endStream) {
    if (!headersSent) {
      headersSent = true;
      policy.addActual(headers, origin);
    }
    down.writeHeaders(streamId, headers, endStream);
  }
}
