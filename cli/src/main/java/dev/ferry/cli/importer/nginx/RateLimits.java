package dev.ferry.cli.importer.nginx;

import dev.ferry.cli.importer.nginx.YamlTree.Mapping;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Maps {@code limit_req} and the {@code limit_req_zone} it names to a route's rate_limit. */
final class RateLimits {
  private static final Pattern RATE = Pattern.compile("rate=(\\d+)r/([sm])");

  private RateLimits() {}

  /** The rate_limit, or {@code null} after reporting. */
  static Mapping toRateLimit(Directive limit, Directive http, ImportReport report) {
    String zoneName = null;
    int burst = 0;
    boolean nodelay = false;
    for (String a : limit.args()) {
      if (a.startsWith("zone=")) {
        zoneName = a.substring("zone=".length());
      } else if (a.startsWith("burst=")) {
        Integer n = NginxValues.count(a.substring("burst=".length()));
        if (n == null) {
          report.notConverted(limit, "expected burst=N");
          return null;
        }
        burst = n;
      } else if (a.equals("nodelay")) {
        nodelay = true;
      }
    }
    Directive zone = null;
    for (Directive z : http.children("limit_req_zone")) {
      for (String a : z.args()) {
        if (a.startsWith("zone=") && a.substring(5).split(":")[0].equals(zoneName)) {
          zone = z;
        }
      }
    }
    if (zone == null) {
      report.notConverted(limit, "no limit_req_zone named '" + zoneName + "' in the http block");
      return null;
    }
    String key = key(zone.arg(0));
    Matcher rate = null;
    for (String a : zone.args()) {
      Matcher m = RATE.matcher(a);
      if (m.matches()) {
        rate = m;
      }
    }
    if (key == null || rate == null) {
      report.notConverted(
          zone,
          key == null
              ? "ferry limits by client address ($binary_remote_addr), a request header"
                  + " ($http_NAME) or globally (a fixed key), not by '"
                  + zone.arg(0)
                  + "'"
              : "expected rate=Nr/s or rate=Nr/m");
      report.notConverted(limit, "its zone cannot be converted");
      return null;
    }
    report.converted(zone);
    if (nodelay) {
      report.converted(limit);
    } else {
      report.note(
          limit,
          "nginx delays requests beyond the rate (up to burst) without nodelay; ferry refuses"
              + " them at once with RESOURCE_EXHAUSTED");
    }
    // nginx lets one request through plus burst more in excess of the rate; ferry's bucket holds
    // burst calls at once.
    return new Mapping()
        .put("rate", rate.group(1) + "/" + rate.group(2))
        .put("burst", burst + 1)
        .put("key", key, zone.where() + ": limit_req_zone " + zone.arg(0));
  }

  private static String key(String nginxKey) {
    if (nginxKey.equals("$binary_remote_addr") || nginxKey.equals("$remote_addr")) {
      return "client_ip";
    }
    if (nginxKey.matches("\\$http_[a-z0-9_]+")) {
      return "header:" + nginxKey.substring("$http_".length()).replace('_', '-');
    }
    return nginxKey.contains("$") ? null : "global";
  }
}
