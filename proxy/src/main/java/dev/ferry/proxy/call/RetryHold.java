package dev.ferry.proxy.call;

import dev.ferry.proxy.retry.RetryBackoff;
import dev.ferry.proxy.route.Route;
import dev.ferry.proxy.transport.Downstream;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * The retry hold of a call on a retryable route: holds the response's headers back until a message
 * (DATA) shows the response is the one the client gets, or its trailers carry a status the route
 * retries, and decides whether the call is tried again. While headers are held not one byte of the
 * response has reached the client, which is what makes a retry invisible to it.
 *
 * <p>A call has one only when its route retries, so other calls pay nothing for it.
 */
final class RetryHold {
  private final Route route;
  private Http2Headers held;
  private int retries;
  private Http2Headers lastAnswer; // of a try that was retried, as one Trailers-Only block
  private String lastAnswerFrom;

  RetryHold(Route route) {
    this.route = route;
  }

  /** Holds back a response's first headers, which do not end it. */
  void hold(Http2Headers headers) {
    held = headers;
  }

  /** Whether headers are held back, so the client has seen nothing of this response yet. */
  boolean isHolding() {
    return held != null;
  }

  /** The held headers, now the caller's to send: this response is the one the client gets. */
  Http2Headers release() {
    Http2Headers h = held;
    held = null;
    return h;
  }

  /** Forgets the held headers: their try failed, and the client hears of that instead. */
  void drop() {
    held = null;
  }

  /** The grpc-status in {@code end} (Trailers-Only or trailers), or -1. */
  static int status(Http2Headers end) {
    CharSequence s = end.get(GrpcLocalReply.GRPC_STATUS);
    return s == null ? -1 : GrpcTimeout.parseDigits(s);
  }

  /**
   * The wait in nanoseconds before another try after {@code status}, or -1 for none. There is one
   * when the route retries that status, attempts are left, the request is still held for a replay,
   * the wait ends before the client's deadline, and the route's budget has room (asked last, since
   * asking counts).
   *
   * @param deadline the call's deadline, {@code null} for none
   */
  long nextWait(int status, boolean replayable, CallDeadline deadline) {
    var policy = route.retry();
    if (status <= 0
        || !policy.retriesOn(status)
        || retries + 1 >= policy.maxAttempts()
        || !replayable) {
      return -1;
    }
    long wait = RetryBackoff.nanos(policy, retries + 1);
    if (deadline != null && deadline.comesWithin(wait)) {
      return -1; // the client's deadline covers every try
    }
    return route.retryBudget().tryRetry() ? wait : -1;
  }

  /**
   * Keeps the answer of a try about to be retried, its held headers (if any) and {@code end}, from
   * {@code endpoint}: if every later try fails without an answer, the client gets this one, the
   * backend's own status and message, rather than the proxy's account of the last failure.
   */
  void keepAnswer(Http2Headers end, String endpoint) {
    Http2Headers answer = new DefaultHttp2Headers();
    if (held != null) {
      answer.add(held);
    }
    answer.add(end);
    lastAnswer = answer;
    lastAnswerFrom = endpoint;
  }

  /** Whether {@link #keepAnswer} kept an answer. */
  boolean hasLastAnswer() {
    return lastAnswer != null;
  }

  /**
   * Sends the client the answer {@link #keepAnswer} kept, which ends the call, and notes it in
   * {@code record}.
   */
  void sendLastAnswer(Downstream down, int downId, CallRecord record) {
    record.upstream = lastAnswerFrom;
    record.httpStatus = ProxyHeaders.httpStatus(lastAnswer);
    record.grpcStatus = status(lastAnswer);
    ProxyHeaders.prepareResponse(lastAnswer, route);
    down.writeHeaders(downId, lastAnswer, true);
  }

  /** A retry was sent on its way; the headers of the try it replaces are never sent. */
  void taken() {
    retries++;
    held = null;
  }
}
