package dev.ferry.proxy.metrics;

import dev.ferry.proxy.config.HeaderMatch;
import dev.ferry.proxy.config.RouteMatch;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code route} label of a route: its match written short ({@code service=helloworld.Greeter},
 * {@code prefix=/,header:x-env=canary}), since routes have no names and an index would change
 * meaning whenever the file does.
 */
public final class RouteLabel {
  private RouteLabel() {}

  /** The label of a route matching {@code m}. */
  public static String of(RouteMatch m) {
    if (m == null) {
      return "all";
    }
    List<String> parts = new ArrayList<>(2);
    if (m.method() != null) {
      parts.add("method=" + m.method());
    } else if (m.service() != null) {
      parts.add("service=" + m.service());
    }
    if (m.prefix() != null) {
      parts.add("prefix=" + m.prefix());
    }
    if (m.authority() != null) {
      parts.add("host=" + m.authority());
    }
    if (m.headers() != null) {
      for (HeaderMatch h : m.headers()) {
        String v =
            h.exact() != null
                ? "=" + h.exact()
                : h.prefix() != null ? "^=" + h.prefix() : "~" + h.regex().pattern();
        parts.add("header:" + h.name() + v);
      }
    }
    return parts.isEmpty() ? "all" : String.join(",", parts);
  }
}
