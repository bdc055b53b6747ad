package dev.ferry.proxy.config;

/**
 * What a route refuses before a call reaches its cluster.
 *
 * @param acl who may call, or {@code null} for everyone
 * @param rateLimit how often, or {@code null} for no limit
 * @param maxRequestMessageBytes the largest gRPC request message passed on; a larger one ends the
 *     call with RESOURCE_EXHAUSTED; 0 for no limit
 */
public record RoutePolicy(AclConfig acl, RateLimitConfig rateLimit, int maxRequestMessageBytes) {
  /** No access control, no rate limit, no message size limit. */
  public static final RoutePolicy NONE = new RoutePolicy(null, null, 0);
}
