package dev.ferry.proxy.config;

import dev.ferry.proxy.config.ClusterConfig.Protocol;
import dev.ferry.proxy.config.HealthCheckConfig.Panic;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Reads a cluster's {@code health_check:}. */
final class HealthCheckReader {
  private HealthCheckReader() {}

  /** The health check, or {@code null} after reporting. */
  static HealthCheckConfig read(YamlValue v, Protocol protocol) {
    YamlMapping m =
        v.mapping(
            "interval",
            "timeout",
            "healthy_threshold",
            "unhealthy_threshold",
            "jitter",
            "service",
            "authority",
            "path",
            "panic");
    if (m == null) {
      return null;
    }
    Duration interval = m.duration("interval", false, ConfigDefaults.HEALTH_INTERVAL);
    Duration timeout = m.duration("timeout", false, ConfigDefaults.HEALTH_TIMEOUT);
    Integer healthy = m.integer("healthy_threshold", 1, 100, 2);
    Integer unhealthy = m.integer("unhealthy_threshold", 1, 100, 3);
    Integer jitter = m.has("jitter") ? percent(m.get("jitter")) : Integer.valueOf(10);
    boolean ok = true;
    String service = "";
    if (m.has("service")) {
      service = m.get("service").string("a gRPC service name, or \"\" for the whole server");
      ok &= service != null;
      if (service != null && protocol == Protocol.HTTP1) {
        m.get("service").error("a service is checked over gRPC: this cluster uses http1 (path:)");
        ok = false;
      }
    }
    String authority = null;
    if (m.has("authority")) {
      authority = m.get("authority").nonEmptyString("a host name for :authority");
      ok &= authority != null;
    }
    String path = "/healthz";
    if (m.has("path")) {
      YamlValue p = m.get("path");
      path = p.nonEmptyString("a path such as /healthz");
      if (path != null && !path.startsWith("/")) {
        p.error("expected a path starting with /, got '" + path + "'");
        path = null;
      } else if (path != null && protocol != Protocol.HTTP1) {
        p.error("a path is checked over HTTP/1.1: this cluster uses h2 (service:)");
        path = null;
      }
      ok &= path != null;
    }
    Panic panic = Panic.OPEN;
    if (m.has("panic")) {
      panic = panic(m.get("panic"));
      ok &= panic != null;
    }
    if (!ok
        || interval == null
        || timeout == null
        || healthy == null
        || unhealthy == null
        || jitter == null) {
      return null;
    }
    return new HealthCheckConfig(
        interval, timeout, healthy, unhealthy, jitter, service, authority, path, panic);
  }

  /** {@code 10%} or {@code 10}: a share from 0 to 100. */
  static Integer percent(YamlValue v) {
    String s = v.string("a percentage such as 10%");
    if (s == null) {
      return null;
    }
    String t = s.trim();
    if (t.endsWith("%")) {
      t = t.substring(0, t.length() - 1).trim();
    }
    try {
      int n = Integer.parseInt(t);
      if (n >= 0 && n <= 100) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    v.error("expected a percentage from 0% to 100%, got '" + s + "'");
    return null;
  }

  private static Panic panic(YamlValue v) {
    String s = v.nonEmptyString("open or closed");
    if (s == null) {
      return null;
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "open" -> Panic.OPEN;
      case "closed" -> Panic.CLOSED;
      default -> {
        v.error("unknown panic mode '" + s + "'" + DidYouMean.hint(s, List.of("open", "closed")));
        yield null;
      }
    };
  }
}
