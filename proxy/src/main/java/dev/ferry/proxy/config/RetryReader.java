package dev.ferry.proxy.config;

import dev.ferry.proxy.status.GrpcCode;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads a route's {@code retry:}. */
final class RetryReader {
  static final String BACKOFF = "a range such as 25ms..250ms";

  private RetryReader() {}

  /** The policy, or {@code null} after reporting. */
  static RetryPolicy read(YamlValue v) {
    YamlMapping m = v.mapping("on", "max_attempts", "backoff", "budget");
    if (m == null) {
      return null;
    }
    YamlValue onValue = m.require("on", "a list of gRPC statuses such as [unavailable]");
    Set<Integer> on = onValue == null ? null : statuses(onValue);
    Integer attempts = m.integer("max_attempts", 2, 10, 3);
    Duration[] backoff = {Duration.ofMillis(25), Duration.ofMillis(250)};
    if (m.has("backoff")) {
      backoff = m.get("backoff").parsed(BACKOFF, RetryReader::range);
    }
    Integer budget =
        m.has("budget") ? HealthCheckReader.percent(m.get("budget")) : Integer.valueOf(20);
    if (on == null || attempts == null || backoff == null || budget == null) {
      return null;
    }
    return new RetryPolicy(Set.copyOf(on), attempts, backoff[0], backoff[1], budget);
  }

  private static Duration[] range(String s) {
    int dots = s.indexOf("..");
    if (dots < 0) {
      throw new IllegalArgumentException("expected " + BACKOFF + ", got '" + s + "'");
    }
    Duration lo = Durations.parse(s.substring(0, dots).trim());
    Duration hi = Durations.parse(s.substring(dots + 2).trim());
    if (lo.isZero() || hi.compareTo(lo) < 0) {
      throw new IllegalArgumentException(
          "expected " + BACKOFF + " with 0 < first <= second, got '" + s + "'");
    }
    return new Duration[] {lo, hi};
  }

  private static Set<Integer> statuses(YamlValue v) {
    List<YamlValue> items = v.list("gRPC status names or codes, such as [unavailable]");
    if (items == null) {
      return null;
    }
    if (items.isEmpty()) {
      v.error("expected at least one gRPC status, such as [unavailable]");
      return null;
    }
    Set<Integer> out = new LinkedHashSet<>();
    boolean ok = true;
    for (YamlValue item : items) {
      GrpcCode c = DirectReplyReader.grpcStatus(item);
      if (c == null) {
        ok = false;
      } else if (c == GrpcCode.OK) {
        item.error("OK is a success: it is never retried");
        ok = false;
      } else {
        out.add(c.value());
      }
    }
    return ok ? out : null;
  }
}
