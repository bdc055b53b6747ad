package dev.ferry.proxy.config;

/**
 * What a route refuses before a call reaches its cluster.
 *
 * @param acl who may call, or {@code null} for everyone
 * @param rateLimit how often, or {@code null} for no limit
 * @param maxRequestMessageBytes the largest gRPC request message passed on; a larger one ends the
 *     call with RESOURCE_EXHAUSTED; 0 for no limit
 * @param cors which pages of other origins may call, or {@code null} for no CORS answers
 */
public record RoutePolicy(
    AclConfig acl, RateLimitConfig rateLimit, int maxRequestMessageBytes, CorsConfig cors) {
  /** No access control, no rate limit, no message size limit, no CORS. */
  public static final RoutePolicy NONE = new RoutePolicy(null, null, 0, null);

  /** A policy without CORS. */
  public RoutePolicy(AclConfig acl, RateLimitConfig rateLimit, int maxRequestMessageBytes) {
    this(acl, rateLimit, maxRequestMessageBytes, null);
  }

  /** This policy with {@code cors} instead of its own. */
  public RoutePolicy withCors(CorsConfig cors) {
    return new RoutePolicy(acl, rateLimit, maxRequestMessageBytes, cors);
  }
}
