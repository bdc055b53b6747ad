package dev.ferry.proxy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.config.RateLimitConfig;
import dev.ferry.proxy.config.RateLimitConfig.Key;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Token buckets on a fake clock: exact counts, exact refill. */
class RateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Http2Headers none = new DefaultHttp2Headers();

  private RateLimiter limiter(long permits, Duration per, int burst, Key key, String header) {
    return new RateLimiter(new RateLimitConfig(permits, per, burst, key, header), now::get);
  }

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void burstCallsPass_theNextIsRefused_andOnePassesAfterTheRefill() throws Exception {
    RateLimiter r = limiter(10, Duration.ofSeconds(1), 5, Key.GLOBAL, null);

    for (int i = 0; i < 5; i++) {
      assertThat(r.tryAcquire(none, ip("127.0.0.1"))).as("call %d", i + 1).isZero();
    }
    long wait = r.tryAcquire(none, ip("127.0.0.1"));

    assertThat(wait).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    now.addAndGet(wait - 1);
    assertThat(r.tryAcquire(none, ip("127.0.0.1"))).as("1ns before the refill").isEqualTo(1);
    now.addAndGet(1);
    assertThat(r.tryAcquire(none, ip("127.0.0.1"))).as("at the refill").isZero();
    assertThat(r.tryAcquire(none, ip("127.0.0.1"))).as("and only one").isPositive();
  }

  @Test
  void refill_neverExceedsTheBurst() throws Exception {
    RateLimiter r = limiter(100, Duration.ofSeconds(1), 3, Key.GLOBAL, null);
    now.addAndGet(TimeUnit.HOURS.toNanos(1));

    int passed = 0;
    while (r.tryAcquire(none, null) == 0) {
      passed++;
    }

    assertThat(passed).isEqualTo(3);
  }

  @Test
  void perClientIp_eachAddressHasItsOwnBucket_v4AndV6() throws Exception {
    RateLimiter r = limiter(1, Duration.ofMinutes(1), 1, Key.CLIENT_IP, null);

    assertThat(r.tryAcquire(none, ip("127.0.0.1"))).isZero();
    assertThat(r.tryAcquire(none, ip("::1"))).isZero();
    assertThat(r.tryAcquire(none, ip("127.0.0.1"))).isPositive();
    assertThat(r.tryAcquire(none, ip("::1"))).isPositive();
    assertThat(r.tryAcquire(none, ip("127.0.0.2"))).isZero();
  }

  @Test
  void perHeader_keysByItsValue_andCallsWithoutItShareOne() throws Exception {
    RateLimiter r = limiter(1, Duration.ofHours(1), 2, Key.HEADER, "x-api-key");
    Http2Headers a = new DefaultHttp2Headers().set("x-api-key", "a");
    Http2Headers b = new DefaultHttp2Headers().set("x-api-key", "b");

    assertThat(r.tryAcquire(a, null)).isZero();
    assertThat(r.tryAcquire(a, null)).isZero();
    assertThat(r.tryAcquire(a, null)).isPositive();
    assertThat(r.tryAcquire(b, null)).isZero();
    assertThat(r.tryAcquire(none, null)).isZero();
    assertThat(r.tryAcquire(none, null)).isZero();
    assertThat(r.tryAcquire(none, null)).isPositive();
  }

  @Test
  void idleKeys_areForgottenWhenTheMapIsFull() throws Exception {
    RateLimiter r = limiter(1000, Duration.ofSeconds(1), 1, Key.HEADER, "k");
    for (int i = 0; i < RateLimiter.MAX_KEYS; i++) {
      r.tryAcquire(new DefaultHttp2Headers().set("k", Integer.toString(i)), null);
    }
    now.addAndGet(TimeUnit.SECONDS.toNanos(1));

    r.tryAcquire(new DefaultHttp2Headers().set("k", "new"), null);

    assertThat(r.keys()).isEqualTo(1);
  }

  @Test
  void keysInventedFasterThanTheyRefill_stayBounded() throws Exception {
    RateLimiter r = limiter(1, Duration.ofHours(1), 1, Key.HEADER, "k");

    for (int i = 0; i < RateLimiter.MAX_KEYS * 2; i++) {
      r.tryAcquire(new DefaultHttp2Headers().set("k", Integer.toString(i)), null);
    }

    assertThat(r.keys()).isLessThanOrEqualTo(RateLimiter.MAX_KEYS);
  }
}
