package dev.ferry.proxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;

/** Receives what happens on one upstream stream; called on the stream's event loop. */
public interface UpstreamListener {
  /**
   * Response headers, or trailers when they follow headers; {@code endStream} ends the response.
   */
  void onResponseHeaders(Http2Headers headers, boolean endStream);

  /**
   * A piece of the response body; the listener owns {@code data} and must call {@link
   * Upstream#consume} once the bytes have been passed on.
   */
  void onResponseData(ByteBuf data, boolean endStream);

  /**
   * The stream ended before its response did; {@link UpstreamFailure#refused} says whether the
   * backend certainly did not process the request, so another endpoint may be tried.
   */
  void onUpstreamFailed(UpstreamFailure failure);
}
