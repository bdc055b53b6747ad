package dev.ferry.proxy.ratelimit;

import dev.ferry.proxy.config.RateLimitConfig;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.InetAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One route's rate limit: a token bucket per key. Buckets of keys not seen for a while are full
 * again and are forgotten, and the number of keys is capped, so a client choosing new keys
 * (addresses, header values) costs bounded memory.
 */
public final class RateLimiter {
  /** More keys than this and full buckets are swept away before a new one is made. */
  static final int MAX_KEYS = 100_000;

  private static final String NO_KEY = "";

  private final RateLimitConfig config;
  private final LongSupplier nanoClock;
  private final long periodNanos;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  /**
   * @param nanoClock the time, {@code System::nanoTime} outside tests
   */
  public RateLimiter(RateLimitConfig config, LongSupplier nanoClock) {
    this.config = config;
    this.nanoClock = nanoClock;
    this.periodNanos = config.per().toNanos();
  }

  public RateLimitConfig config() {
    return config;
  }

  /**
   * Takes a token for a call with {@code request} headers from {@code client}.
   *
   * @return 0 when the call may go on, else nanoseconds until it would have been allowed
   */
  public long tryAcquire(Http2Headers request, InetAddress client) {
    String key = key(request, client);
    long now = nanoClock.getAsLong();
    TokenBucket b = buckets.get(key);
    if (b == null) {
      if (buckets.size() >= MAX_KEYS) {
        sweep(now);
      }
      b =
          buckets.computeIfAbsent(
              key, k -> new TokenBucket(config.burst(), config.permits(), periodNanos, now));
    }
    return b.tryTake(now);
  }

  private String key(Http2Headers request, InetAddress client) {
    return switch (config.key()) {
      case GLOBAL -> NO_KEY;
      case CLIENT_IP -> client == null ? NO_KEY : client.getHostAddress();
      case HEADER -> {
        CharSequence v = request.get(config.header());
        yield v == null ? NO_KEY : v.toString();
      }
    };
  }

  private void sweep(long now) {
    for (Iterator<TokenBucket> it = buckets.values().iterator(); it.hasNext(); ) {
      if (it.next().isFull(now)) {
        it.remove();
      }
    }
    // A client inventing keys faster than buckets refill: memory stays bounded, at the price of
    // some keys starting over with a full bucket.
    for (Iterator<TokenBucket> it = buckets.values().iterator();
        it.hasNext() && buckets.size() >= MAX_KEYS * 9 / 10; ) {
      it.next();
      it.remove();
    }
  }

  /** How many keys have a bucket now (for tests). */
  int keys() {
    return buckets.size();
  }
}
