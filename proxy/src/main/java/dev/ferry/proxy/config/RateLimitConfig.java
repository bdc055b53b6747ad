package dev.ferry.proxy.config;

import java.time.Duration;

/**
 * A token bucket: {@link #permits} calls per {@link #per}, with bursts of up to {@link #burst}.
 *
 * @param permits tokens added per period
 * @param per the period, such as one second for {@code 100/s}
 * @param burst the bucket's size: how many calls may pass at once after a quiet spell
 * @param key what gets a bucket of its own
 * @param header for {@link Key#HEADER}: the request header whose value is the key
 */
public record RateLimitConfig(long permits, Duration per, int burst, Key key, String header) {
  /** What one bucket counts. */
  public enum Key {
    /** One bucket for every call of the route. */
    GLOBAL,
    /** A bucket per client IP address. */
    CLIENT_IP,
    /** A bucket per value of a request header (an API key, say); calls without it share one. */
    HEADER
  }

  /** {@code 100/s}, for messages. */
  public String rate() {
    String unit =
        per.equals(Duration.ofSeconds(1))
            ? "s"
            : per.equals(Duration.ofMinutes(1))
                ? "m"
                : per.equals(Duration.ofHours(1)) ? "h" : per.toString();
    return permits + "/" + unit;
  }
}
