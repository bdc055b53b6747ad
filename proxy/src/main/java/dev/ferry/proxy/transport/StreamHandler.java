package dev.ferry.proxy.transport;

import dev.ferry.proxy.status.ProxyStatus;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * What serves one client stream once its request headers arrived: a call through the proxy, or an
 * answer the proxy gives itself. The connection's handler keeps it with the stream, passes it the
 * rest of the request, and tells it when the stream closes.
 */
public interface StreamHandler {
  /** Starts serving; called once, after the connection keeps this handler with the stream. */
  void start();

  /**
   * A piece of the request body; the handler owns {@code data} and acknowledges its bytes with
   * {@link Downstream#consume} once they have been passed on.
   */
  void onRequestData(ByteBuf data, boolean endStream);

  /** The request's trailers, which end it. */
  void onRequestTrailers(Http2Headers trailers);

  /**
   * The client reset the stream with {@code errorCode} (RST_STREAM); {@link #onDownstreamClosed}
   * follows. Only noted, for the reason the call gives.
   */
  default void onClientReset(long errorCode) {}

  /**
   * A bridge in front could not turn the client's request into gRPC (malformed JSON, no schema):
   * the call ends with {@code status}, answered in the client's protocol, unless it has ended.
   */
  default void refuseRequest(ProxyStatus status) {}

  /** The client stream closed, whatever the reason: release everything, record the call. */
  void onDownstreamClosed();
}
