package dev.ferry.proxy.call;

import io.netty.handler.codec.http2.Http2Error;

/**
 * The detail of a call the client ended before it did (reason {@code client_cancelled}): how the
 * client ended it, and at which point of the call. Built only on that path.
 */
final class ClientCancel {
  private ClientCancel() {}

  /**
   * @param resetCode the client's RST_STREAM error code, or -1 when its connection closed instead
   * @param phase where the call was
   * @param deadline the call's deadline, or {@code null}
   */
  static String describe(long resetCode, CallPhase phase, CallDeadline deadline) {
    StringBuilder sb = new StringBuilder();
    if (resetCode >= 0) {
      Http2Error e = Http2Error.valueOf(resetCode);
      sb.append("the client reset the stream (RST_STREAM ")
          .append(e == null ? "error " + resetCode : e.name())
          .append(')');
    } else {
      sb.append("the client closed the connection");
    }
    sb.append(' ').append(when(phase));
    if (deadline != null && deadline.isDue()) {
      // A gRPC client cancels at its own deadline, a moment before the proxy's timer runs.
      sb.append(", at the call's deadline (").append(deadline.whose()).append(')');
    }
    return sb.toString();
  }

  private static String when(CallPhase phase) {
    return switch (phase) {
      case ADMITTING -> "before the call was admitted";
      case CONNECTING -> "while the proxy was connecting to a backend";
      case AWAITING_RESPONSE, HOLDING_FOR_RETRY ->
          "after the request went to the backend, before the response headers reached it";
      case STREAMING -> "while the response was streaming";
      case DONE -> "after the call ended";
    };
  }
}
