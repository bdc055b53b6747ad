package dev.ferry.proxy.config;

import java.time.Duration;
import java.util.Set;

/**
 * When a route's calls are tried again on another endpoint after a gRPC status, read from response
 * headers, a Trailers-Only response or trailers. Only calls whose response has not reached the
 * client and whose request is still held (up to a limit) are retried; the client's deadline covers
 * every try. Connect failures and refused streams are retried whatever this says.
 *
 * @param on the gRPC status codes (numbers) that make a call retry
 * @param maxAttempts tries in all, the first included
 * @param backoffBase the longest wait before the first retry (the wait is random up to it)
 * @param backoffMax the longest wait before any retry; each retry doubles the previous bound
 * @param budgetPercent retries may be at most this share of the route's calls (over the last ten
 *     seconds, plus a few for quiet routes)
 */
public record RetryPolicy(
    Set<Integer> on,
    int maxAttempts,
    Duration backoffBase,
    Duration backoffMax,
    int budgetPercent) {

  /** Whether a call that ended with {@code grpcStatus} is retried. */
  public boolean retriesOn(int grpcStatus) {
    return on.contains(grpcStatus);
  }
}
