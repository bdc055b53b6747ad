package dev.ferry.proxy.call;

import dev.ferry.proxy.retry.RetryBackoff;
import dev.ferry.proxy.route.Route;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * Decides whether a call on a retryable route tries again after the gRPC status that ended a try:
 * the route retries that status, attempts are left, the request is still held for a replay, the
 * wait fits in the client's deadline, and the route's budget has room (asked last, since asking
 * counts).
 */
final class StatusRetries {
  private final Route route;
  private int done;

  StatusRetries(Route route) {
    this.route = route;
  }

  /** The grpc-status in {@code end} (Trailers-Only or trailers), or -1. */
  static int status(Http2Headers end) {
    CharSequence s = end.get(GrpcLocalReply.GRPC_STATUS);
    return s == null ? -1 : GrpcTimeout.parseDigits(s);
  }

  /**
   * The wait in nanoseconds before another try after {@code status}, or -1 for none.
   *
   * @param deadline the call's deadline, {@code null} for none
   */
  long nextWait(int status, boolean replayable, CallDeadline deadline) {
    var policy = route.retry();
    if (status <= 0
        || !policy.retriesOn(status)
        || done + 1 >= policy.maxAttempts()
        || !replayable) {
      return -1;
    }
    long wait = RetryBackoff.nanos(policy, done + 1);
    if (deadline != null && deadline.comesWithin(wait)) {
      return -1; // the client's deadline covers every try
    }
    return route.retryBudget().tryRetry() ? wait : -1;
  }

  /** A retry was sent on its way. */
  void taken() {
    done++;
  }
}
