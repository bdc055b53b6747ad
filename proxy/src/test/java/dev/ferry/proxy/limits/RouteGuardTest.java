package dev.ferry.proxy.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.config.AclConfig;
import dev.ferry.proxy.config.RateLimitConfig;
import dev.ferry.proxy.config.RoutePolicy;
import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.LocalReplyReason;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RouteGuardTest {
  private static final Http2Headers CALL = new DefaultHttp2Headers().path("/x.Y/Z");
  private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40000);
  private static final InetSocketAddress OTHER = new InetSocketAddress("10.1.2.3", 40000);

  private final AtomicLong nanos = new AtomicLong(1_000);

  private RouteGuard guard(RoutePolicy policy) {
    return RouteGuard.of(policy, "service x.Y", nanos::get);
  }

  private static RoutePolicy acl(List<String> allow, List<String> deny) {
    return new RoutePolicy(new AclConfig(allow, deny, List.of()), null, 0);
  }

  private static RoutePolicy rate(long permits, int burst) {
    return new RoutePolicy(
        null,
        new RateLimitConfig(
            permits, Duration.ofSeconds(1), burst, RateLimitConfig.Key.GLOBAL, null),
        0);
  }

  @Test
  void routeWithoutPolicy_checksNothing() {
    assertThat(guard(null)).isSameAs(RouteGuard.NONE);
    assertThat(guard(RoutePolicy.NONE)).isSameAs(RouteGuard.NONE);
    assertThat(RouteGuard.NONE.check(CALL, OTHER, null)).isNull();
  }

  @Test
  void deniedClient_getsPermissionDenied_namingItsAddressAndTheRule() {
    RouteGuard g = guard(acl(List.of(), List.of("10.0.0.0/8")));

    RouteGuard.Refusal r = g.check(CALL, OTHER, null);

    assertThat(r.status().code()).isEqualTo(GrpcCode.PERMISSION_DENIED);
    assertThat(r.status().httpStatus()).isEqualTo(403);
    assertThat(r.status().reason()).isEqualTo(LocalReplyReason.ACCESS_DENIED);
    assertThat(r.status().detail())
        .isEqualTo("ferry: client address 10.1.2.3 is denied (10.0.0.0/8)");
    assertThat(r.retryAfterSeconds()).isZero();
    assertThat(g.check(CALL, LOCAL, null)).isNull();
  }

  @Test
  void clientOutsideTheAllowList_isRefused() {
    RouteGuard g = guard(acl(List.of("127.0.0.0/8"), List.of()));

    assertThat(g.check(CALL, OTHER, null).status().detail())
        .isEqualTo("ferry: client address 10.1.2.3 is not in the allow list");
    assertThat(g.check(CALL, LOCAL, null)).isNull();
  }

  @Test
  void callsBeyondTheBurst_getResourceExhausted_withWhenToRetry() {
    RouteGuard g = guard(rate(2, 2));
    assertThat(g.check(CALL, LOCAL, null)).isNull();
    assertThat(g.check(CALL, LOCAL, null)).isNull();

    RouteGuard.Refusal r = g.check(CALL, LOCAL, null);

    assertThat(r.status().code()).isEqualTo(GrpcCode.RESOURCE_EXHAUSTED);
    assertThat(r.status().httpStatus()).isEqualTo(429);
    assertThat(r.status().reason()).isEqualTo(LocalReplyReason.RATE_LIMITED);
    assertThat(r.status().detail())
        .isEqualTo("ferry: rate limit 2/s of route service x.Y exceeded; retry after 500ms");
    assertThat(r.retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void refusedCaller_passesAgain_onceTheBucketRefilled() {
    RouteGuard g = guard(rate(2, 1));
    assertThat(g.check(CALL, LOCAL, null)).isNull();
    assertThat(g.check(CALL, LOCAL, null)).isNotNull();

    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));

    assertThat(g.check(CALL, LOCAL, null)).isNull();
  }

  @Test
  void accessIsCheckedBeforeTheRateLimit_soARefusedClientSpendsNoToken() {
    RoutePolicy both =
        new RoutePolicy(
            new AclConfig(List.of(), List.of("10.0.0.0/8"), List.of()), rate(1, 1).rateLimit(), 0);
    RouteGuard g = guard(both);

    assertThat(g.check(CALL, OTHER, null).status().reason())
        .isEqualTo(LocalReplyReason.ACCESS_DENIED);

    assertThat(g.check(CALL, LOCAL, null)).isNull();
  }

  @Test
  void messageSizeLimit_isThePolicys() {
    assertThat(guard(new RoutePolicy(null, null, 4096)).maxRequestMessageBytes()).isEqualTo(4096);
    assertThat(RouteGuard.NONE.maxRequestMessageBytes()).isZero();
  }
}
