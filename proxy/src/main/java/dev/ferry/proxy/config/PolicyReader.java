package dev.ferry.proxy.config;

import dev.ferry.proxy.config.RateLimitConfig.Key;
import java.time.Duration;
import java.util.Locale;

/**
 * Reads what a route refuses: {@code acl:}, {@code cors:}, {@code rate_limit: { rate: 100/s, burst:
 * 20, key: client_ip }} and {@code max_request_message_size: 4MiB}; and a listener's {@code
 * limits:}.
 */
final class PolicyReader {
  static final String RATE = "a rate such as 100/s, 600/m or 1000/h";
  static final String KEY = "global, client_ip or header:NAME";
  static final String SIZE = "a size such as 4MiB, 512KiB or 1048576";

  private PolicyReader() {}

  /** The route's policy from {@code m}; {@code null} after reporting. */
  static RoutePolicy route(YamlMapping m) {
    AclConfig acl = null;
    boolean ok = true;
    if (m.has("acl")) {
      acl = AclReader.read(m.get("acl"));
      ok &= acl != null;
    }
    RateLimitConfig rate = null;
    if (m.has("rate_limit")) {
      rate = rateLimit(m.get("rate_limit"));
      ok &= rate != null;
    }
    int maxMessage = 0;
    if (m.has("max_request_message_size")) {
      Integer n = size(m.get("max_request_message_size"));
      ok &= n != null;
      maxMessage = n == null ? 0 : n;
    }
    CorsConfig cors = null;
    if (m.has("cors")) {
      cors = CorsReader.read(m.get("cors"));
      ok &= cors != null;
    }
    if (!ok) {
      return null;
    }
    return acl == null && rate == null && maxMessage == 0 && cors == null
        ? RoutePolicy.NONE
        : new RoutePolicy(acl, rate, maxMessage, cors);
  }

  static RateLimitConfig rateLimit(YamlValue v) {
    YamlMapping m = v.mapping("rate", "burst", "key");
    if (m == null) {
      return null;
    }
    YamlValue rateValue = m.require("rate", RATE);
    long[] rate = rateValue == null ? null : rateValue.parsed(RATE, PolicyReader::parseRate);
    Integer burst = m.integer("burst", 1, 1_000_000, -1);
    Key key = Key.GLOBAL;
    String header = null;
    if (m.has("key")) {
      String k = m.get("key").nonEmptyString(KEY);
      if (k == null) {
        return null;
      }
      String lower = k.toLowerCase(Locale.ROOT);
      if (lower.equals("global")) {
        key = Key.GLOBAL;
      } else if (lower.equals("client_ip")) {
        key = Key.CLIENT_IP;
      } else if (lower.startsWith("header:") && lower.length() > "header:".length()) {
        key = Key.HEADER;
        header = lower.substring("header:".length()).trim();
      } else {
        m.get("key").error("expected " + KEY + ", got '" + k + "'");
        return null;
      }
    }
    if (rate == null || burst == null) {
      return null;
    }
    // Without a burst, a bucket holds one period's worth: 100/s lets 100 calls through at once.
    int b = burst > 0 ? burst : (int) Math.min(1_000_000, Math.max(1, rate[0]));
    return new RateLimitConfig(rate[0], Duration.ofMillis(rate[1]), b, key, header);
  }

  /** {@code 100/s} as {permits, period millis}. */
  static long[] parseRate(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("expected " + RATE + ", got '" + text + "'");
    }
    long permits;
    try {
      permits = Long.parseLong(s.substring(0, slash).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected " + RATE + ", got '" + text + "'");
    }
    long millis =
        switch (s.substring(slash + 1).trim()) {
          case "s" -> 1000L;
          case "m" -> 60_000L;
          case "h" -> 3_600_000L;
          default ->
              throw new IllegalArgumentException("expected " + RATE + ", got '" + text + "'");
        };
    if (permits < 1 || permits > 1_000_000_000L) {
      throw new IllegalArgumentException(
          "a rate needs at least 1 call per period, got '" + text + "'");
    }
    return new long[] {permits, millis};
  }

  /** {@code 4MiB}, {@code 512KiB}, {@code 1048576}. */
  static Integer size(YamlValue v) {
    return v.parsed(SIZE, PolicyReader::parseSize);
  }

  static Integer parseSize(String text) {
    String s = text.trim();
    long unit = 1;
    if (s.endsWith("MiB")) {
      unit = 1 << 20;
      s = s.substring(0, s.length() - 3);
    } else if (s.endsWith("KiB")) {
      unit = 1 << 10;
      s = s.substring(0, s.length() - 3);
    }
    long n;
    try {
      n = Long.parseLong(s.trim()) * unit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected " + SIZE + ", got '" + text + "'");
    }
    if (n < 1 || n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "expected " + SIZE + " from 1 byte to 2GiB, got '" + text + "'");
    }
    return (int) n;
  }

  /** A listener's {@code limits:}, each key optional; {@code null} after reporting. */
  static ListenerLimits limits(YamlValue v) {
    YamlMapping m =
        v.mapping(
            "max_connections",
            "max_concurrent_streams",
            "max_header_list_size",
            "header_read_timeout",
            "max_resets",
            "max_control_frames",
            "max_empty_frames");
    if (m == null) {
      return null;
    }
    ListenerLimits d = ListenerLimits.DEFAULTS;
    Integer connections = m.integer("max_connections", 1, Integer.MAX_VALUE, d.maxConnections());
    Integer streams =
        m.integer("max_concurrent_streams", 1, Integer.MAX_VALUE, d.maxConcurrentStreams());
    Integer headers = d.maxHeaderListSize();
    if (m.has("max_header_list_size")) {
      headers = size(m.get("max_header_list_size"));
    }
    Duration headerRead = m.duration("header_read_timeout", false, d.headerReadTimeout());
    Integer resets = m.integer("max_resets", 1, Integer.MAX_VALUE, d.maxResets());
    Integer control = m.integer("max_control_frames", 1, Integer.MAX_VALUE, d.maxControlFrames());
    Integer empty = m.integer("max_empty_frames", 1, Integer.MAX_VALUE, d.maxEmptyFrames());
    if (connections == null
        || streams == null
        || headers == null
        || headerRead == null
        || resets == null
        || control == null
        || empty == null) {
      return null;
    }
    return new ListenerLimits(connections, streams, headers, headerRead, resets, control, empty);
  }
}
