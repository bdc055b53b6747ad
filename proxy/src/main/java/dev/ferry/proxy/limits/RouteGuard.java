package dev.ferry.proxy.limits;

import dev.ferry.proxy.acl.AccessRules;
import dev.ferry.proxy.config.AclConfig;
import dev.ferry.proxy.config.RoutePolicy;
import dev.ferry.proxy.ratelimit.RateLimiter;
import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.status.ProxyStatus;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What a route checks before a call goes to its cluster: access rules, then the rate limit. Built
 * once per route and shared by every event loop.
 */
public final class RouteGuard {
  /** A route that checks nothing. */
  public static final RouteGuard NONE = new RouteGuard(AccessRules.ALLOW_ALL, null, 0, "");

  private final AccessRules access;
  private final RateLimiter rateLimiter;
  private final int maxRequestMessageBytes;
  private final String routeName;

  private RouteGuard(
      AccessRules access, RateLimiter rateLimiter, int maxRequestMessageBytes, String routeName) {
    this.access = access;
    this.rateLimiter = rateLimiter;
    this.maxRequestMessageBytes = maxRequestMessageBytes;
    this.routeName = routeName;
  }

  /**
   * The guard of a route with {@code policy}.
   *
   * @param routeName how messages name the route, such as {@code service helloworld.Greeter}
   */
  public static RouteGuard of(RoutePolicy policy, String routeName, LongSupplier nanoClock) {
    if (policy == null || policy.equals(RoutePolicy.NONE)) {
      return NONE;
    }
    AclConfig acl = policy.acl();
    return new RouteGuard(
        acl == null
            ? AccessRules.ALLOW_ALL
            : AccessRules.of(acl.allow(), acl.deny(), acl.clientSubjects()),
        policy.rateLimit() == null ? null : new RateLimiter(policy.rateLimit(), nanoClock),
        policy.maxRequestMessageBytes(),
        routeName);
  }

  /**
   * Why the proxy answers a call itself.
   *
   * @param retryAfterSeconds for a rate limit, the {@code retry-after} to send; else 0
   */
  public record Refusal(ProxyStatus status, long retryAfterSeconds) {}

  /** The refusal of a call, or {@code null} when it may go on. */
  public Refusal check(Http2Headers request, SocketAddress clientAddress, String clientSubject) {
    if (this == NONE) {
      return null;
    }
    // A client of a Unix socket has no IP address: rules by address do not apply to it.
    InetSocketAddress client = clientAddress instanceof InetSocketAddress inet ? inet : null;
    String denied = access.refusal(client == null ? null : client.getAddress(), clientSubject);
    if (denied != null) {
      return new Refusal(
          ProxyStatus.of(
              GrpcCode.PERMISSION_DENIED, 403, LocalReplyReason.ACCESS_DENIED, "ferry: " + denied),
          0);
    }
    if (rateLimiter != null) {
      long wait = rateLimiter.tryAcquire(request, client == null ? null : client.getAddress());
      if (wait > 0) {
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait));
        return new Refusal(
            ProxyStatus.of(
                GrpcCode.RESOURCE_EXHAUSTED,
                429,
                LocalReplyReason.RATE_LIMITED,
                "ferry: rate limit "
                    + rateLimiter.config().rate()
                    + " of route "
                    + routeName
                    + " exceeded; retry after "
                    + millis
                    + "ms"),
            Math.max(1, (millis + 999) / 1000));
      }
    }
    return null;
  }

  /** The largest gRPC request message the route passes on; 0 for no limit. */
  public int maxRequestMessageBytes() {
    return maxRequestMessageBytes;
  }
}
