package dev.ferry.proxy.call;

import dev.ferry.proxy.config.DirectReply;
import dev.ferry.proxy.config.RateLimitConfig;
import dev.ferry.proxy.limits.GrpcMessageSizeCheck;
import dev.ferry.proxy.limits.RouteGuard;
import dev.ferry.proxy.route.Route;
import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.status.ProxyStatus;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.upstream.CallCluster;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.function.Function;

/**
 * DESIGN.md's admission chain for one call, in its order: route, access rules and rate limit,
 * direct reply, the cluster's protocol, deadline, header rules, the cluster's in-flight cap. It
 * answers either "refuse with this status" or "admitted", with what the call goes on with.
 */
final class CallAdmission {
  /** What admission decided. */
  sealed interface Decision permits Refused, Admitted {}

  /**
   * The proxy answers the call itself.
   *
   * @param retryAfterSeconds for a rate limit, the {@code retry-after} to send; else 0
   */
  record Refused(ProxyStatus status, long retryAfterSeconds) implements Decision {}

  /**
   * The call goes to {@code cluster}, holding one of its in-flight slots until it ends.
   *
   * @param timeoutNanos the call's deadline from now, or -1 for none
   * @param deadlineIsRoutes the deadline is the route's cap, not the client's grpc-timeout
   * @param sizeCheck the route's request message limit, or {@code null} for none
   * @param retryHold the route's status retries, or {@code null} when it has none
   */
  record Admitted(
      CallCluster cluster,
      long timeoutNanos,
      boolean deadlineIsRoutes,
      GrpcMessageSizeCheck sizeCheck,
      RetryHold retryHold)
      implements Decision {}

  private final Function<String, ? extends CallCluster> clusters;

  CallAdmission(Function<String, ? extends CallCluster> clusters) {
    this.clusters = clusters;
  }

  /**
   * The route's access rules and rate limit alone; {@code null} when they let the call in. A
   * refusal names the route, and a rate limit also the key its bucket is counted by.
   */
  static Refused guard(Route r, Http2Headers request, Downstream down) {
    RouteGuard.Refusal refused =
        r.guard().check(request, down.remoteAddress(), down.clientSubject());
    if (refused == null) {
      return null;
    }
    ProxyStatus s = refused.status();
    String rule = s.detail().substring(s.detail().startsWith("ferry: ") ? 7 : 0);
    String detail =
        s.reason() == LocalReplyReason.RATE_LIMITED
            ? "ferry: " + rule + " (" + rateKey(r, down) + ")"
            : "ferry: route '" + r.name() + "': " + rule;
    return new Refused(
        new ProxyStatus(s.code(), s.httpStatus(), s.reason(), detail, s.cause()),
        refused.retryAfterSeconds());
  }

  /** What a rate limit counts by: a header names its key, never its value (an API key, say). */
  private static String rateKey(Route r, Downstream down) {
    RateLimitConfig limit = r.config().policy().rateLimit();
    return switch (limit.key()) {
      case GLOBAL -> "one bucket for all calls of the route";
      case CLIENT_IP -> "key: client address " + down.clientIp();
      case HEADER -> "key: header " + limit.header();
    };
  }

  /**
   * Decides on a call that matched {@code r} ({@code null}: no route). Once admitted, the request's
   * headers are those the backend gets, and the call holds a slot of the cluster.
   */
  Decision admit(Route r, Http2Headers request, boolean grpc, Downstream down, CharSequence path) {
    if (r == null) {
      return refuse(
          GrpcCode.UNIMPLEMENTED, 404, LocalReplyReason.NO_ROUTE, "ferry: no route for " + path);
    }
    Refused guarded = guard(r, request, down);
    if (guarded != null) {
      return guarded;
    }
    DirectReply direct = r.directReply();
    if (direct != null) {
      return refuse(
          GrpcCode.ofValue(direct.grpcStatus()),
          direct.httpStatus(),
          LocalReplyReason.DIRECT_REPLY,
          direct.message());
    }
    CallCluster cluster = clusters.apply(r.cluster());
    if (grpc && cluster.isHttp1()) {
      // Typically a gRPC call to a service no route names, caught by a catch-all REST route: a
      // REST backend would answer 200 without a grpc-status, which clients report as INTERNAL.
      return refuse(
          GrpcCode.UNIMPLEMENTED,
          404,
          LocalReplyReason.NO_ROUTE,
          "ferry: no gRPC route for "
              + path
              + ": the matching route leads to HTTP/1.1 cluster '"
              + cluster.name()
              + "', which cannot carry gRPC");
    }
    CharSequence clientTimeout = request.get(ProxyHeaders.GRPC_TIMEOUT);
    long timeout = GrpcTimeout.effectiveNanos(clientTimeout, r.maxTimeout());
    boolean routesDeadline = timeout >= 0 && timeout != GrpcTimeout.parseNanos(clientTimeout);
    ProxyHeaders.prepareRequest(request, down.clientIp(), grpc);
    if (!r.requestRewriter().isEmpty()) {
      r.requestRewriter().apply(request);
    }
    if (!cluster.tryStartCall()) {
      return refuse(
          GrpcCode.UNAVAILABLE,
          503,
          LocalReplyReason.OVERLOADED,
          "ferry: cluster '"
              + cluster.name()
              + "' has its maximum of "
              + cluster.maxInFlight()
              + " calls in flight (max_in_flight)");
    }
    RetryHold retryHold = null;
    if (r.retry() != null) {
      r.retryBudget().callStarted(); // retries may be a share of all the route's calls
      retryHold = new RetryHold(r);
    }
    int maxMessage = r.guard().maxRequestMessageBytes();
    return new Admitted(
        cluster,
        timeout,
        routesDeadline,
        grpc && maxMessage > 0 ? new GrpcMessageSizeCheck(maxMessage) : null,
        retryHold);
  }

  private static Refused refuse(
      GrpcCode code, int httpStatus, LocalReplyReason reason, String detail) {
    return new Refused(ProxyStatus.of(code, httpStatus, reason, detail), 0);
  }
}
