package dev.ferry.proxy.config;

import java.time.Duration;

/**
 * One route: what it matches and where the call goes.
 *
 * @param match which requests take this route
 * @param cluster the cluster's name, or {@code null} when {@link #directReply} answers instead
 * @param directReply the fixed answer of this route, or {@code null}
 * @param requestHeaders rules applied to the request before it goes upstream
 * @param responseHeaders rules applied to the response before it goes back to the client
 * @param maxTimeout caps the client's {@code grpc-timeout}, and applies when the client sent none;
 *     {@code null} for no cap
 * @param retry when calls are tried again after a gRPC status, or {@code null} for never
 * @param policy access control, rate limit and message size limit
 */
public record RouteConfig(
    RouteMatch match,
    String cluster,
    DirectReply directReply,
    HeaderRules requestHeaders,
    HeaderRules responseHeaders,
    Duration maxTimeout,
    RetryPolicy retry,
    RoutePolicy policy) {

  /** A route without status retries, access control or limits. */
  public RouteConfig(
      RouteMatch match,
      String cluster,
      DirectReply directReply,
      HeaderRules requestHeaders,
      HeaderRules responseHeaders,
      Duration maxTimeout) {
    this(
        match,
        cluster,
        directReply,
        requestHeaders,
        responseHeaders,
        maxTimeout,
        (RetryPolicy) null,
        RoutePolicy.NONE);
  }

  /** A route without access control or limits. */
  public RouteConfig(
      RouteMatch match,
      String cluster,
      DirectReply directReply,
      HeaderRules requestHeaders,
      HeaderRules responseHeaders,
      Duration maxTimeout,
      RetryPolicy retry) {
    this(
        match,
        cluster,
        directReply,
        requestHeaders,
        responseHeaders,
        maxTimeout,
        retry,
        RoutePolicy.NONE);
  }

  /** A route without status retries. */
  public RouteConfig(
      RouteMatch match,
      String cluster,
      DirectReply directReply,
      HeaderRules requestHeaders,
      HeaderRules responseHeaders,
      Duration maxTimeout,
      RoutePolicy policy) {
    this(
        match,
        cluster,
        directReply,
        requestHeaders,
        responseHeaders,
        maxTimeout,
        (RetryPolicy) null,
        policy);
  }

  /** This route with {@code retry} ({@code null}: none). */
  public RouteConfig withRetry(RetryPolicy retry) {
    return new RouteConfig(
        match, cluster, directReply, requestHeaders, responseHeaders, maxTimeout, retry, policy);
  }

  /** This route with {@code cors} unless it has a CORS policy of its own (a listener's default). */
  public RouteConfig withDefaultCors(CorsConfig cors) {
    if (cors == null || (policy != null && policy.cors() != null)) {
      return this;
    }
    return new RouteConfig(
        match,
        cluster,
        directReply,
        requestHeaders,
        responseHeaders,
        maxTimeout,
        retry,
        (policy == null ? RoutePolicy.NONE : policy).withCors(cors));
  }
}
