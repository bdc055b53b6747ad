package dev.ferry.proxy.config;

import dev.ferry.proxy.status.GrpcCode;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads a cluster's {@code outlier_detection:}. */
final class OutlierReader {
  private OutlierReader() {}

  /** The outlier detection, or {@code null} after reporting. */
  static OutlierConfig read(YamlValue v) {
    YamlMapping m =
        v.mapping(
            "consecutive_failures",
            "statuses",
            "base_ejection_time",
            "max_ejection_time",
            "max_ejection_percent");
    if (m == null) {
      return null;
    }
    OutlierConfig d = OutlierConfig.defaults();
    Integer failures = m.integer("consecutive_failures", 1, 1000, d.consecutiveFailures());
    Set<Integer> statuses = m.has("statuses") ? statuses(m.get("statuses")) : d.statuses();
    Duration base = m.duration("base_ejection_time", false, d.baseEjectionTime());
    Duration max = m.duration("max_ejection_time", false, d.maxEjectionTime());
    Integer percent =
        m.has("max_ejection_percent")
            ? HealthCheckReader.percent(m.get("max_ejection_percent"))
            : Integer.valueOf(d.maxEjectionPercent());
    if (failures == null || statuses == null || base == null || max == null || percent == null) {
      return null;
    }
    if (max.compareTo(base) < 0) {
      m.get("max_ejection_time")
          .error(
              "max_ejection_time "
                  + Durations.format(max)
                  + " is shorter than base_ejection_time "
                  + Durations.format(base));
      return null;
    }
    return new OutlierConfig(failures, Set.copyOf(statuses), base, max, percent);
  }

  private static Set<Integer> statuses(YamlValue v) {
    List<YamlValue> items = v.list("gRPC status names or codes, such as [unavailable, internal]");
    if (items == null) {
      return null;
    }
    Set<Integer> out = new LinkedHashSet<>();
    boolean ok = true;
    for (YamlValue item : items) {
      GrpcCode c = DirectReplyReader.grpcStatus(item);
      if (c == null) {
        ok = false;
      } else if (c == GrpcCode.OK) {
        item.error("OK is a success, not a failure");
        ok = false;
      } else {
        out.add(c.value());
      }
    }
    return ok ? out : null;
  }
}
