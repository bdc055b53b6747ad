package dev.ferry.proxy.limits;

import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;

/**
 * The connection error {@link Http2FloodGuard} ends a flooding connection with (GOAWAY
 * ENHANCE_YOUR_CALM); the guard has already told the connection log which flood it was, so the
 * connection's handler adds no line of its own.
 */
public final class Http2FloodException extends Http2Exception {
  private static final long serialVersionUID = 1L;

  Http2FloodException(String message) {
    super(Http2Error.ENHANCE_YOUR_CALM, message, ShutdownHint.HARD_SHUTDOWN);
  }
}
