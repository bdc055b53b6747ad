package dev.ferry.proxy.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads {@code cors: { allow_origins: [..], allow_methods: [..], allow_headers: [..],
 * expose_headers: [..], allow_credentials: false, max_age: 2h }}; what is left out takes the
 * defaults that suit gRPC-Web and Connect.
 */
final class CorsReader {
  private CorsReader() {}

  /** The policy, or {@code null} after reporting. */
  static CorsConfig read(YamlValue v) {
    YamlMapping m =
        v.mapping(
            "allow_origins",
            "allow_methods",
            "allow_headers",
            "expose_headers",
            "allow_credentials",
            "max_age");
    if (m == null) {
      return null;
    }
    YamlValue originsValue =
        m.require("allow_origins", "a list of origins such as [https://app.example.com]");
    List<String> origins = originsValue == null ? null : origins(originsValue);
    List<String> methods = names(m, "allow_methods", CorsConfig.DEFAULT_ALLOW_METHODS, true);
    List<String> allow = names(m, "allow_headers", CorsConfig.DEFAULT_ALLOW_HEADERS, false);
    List<String> expose = names(m, "expose_headers", CorsConfig.DEFAULT_EXPOSE_HEADERS, false);
    Boolean credentials = false;
    if (m.has("allow_credentials")) {
      credentials = m.get("allow_credentials").parsed("true or false", CorsReader::bool);
    }
    Duration maxAge = m.duration("max_age", true, CorsConfig.DEFAULT_MAX_AGE);
    if (origins == null
        || methods == null
        || allow == null
        || expose == null
        || credentials == null
        || maxAge == null) {
      return null;
    }
    if (credentials && origins.contains("*")) {
      // The Fetch standard refuses a credentialed answer with a wildcard origin.
      m.get("allow_credentials")
          .error("allow_credentials needs named origins: browsers refuse it with '*'");
      return null;
    }
    return new CorsConfig(origins, methods, allow, expose, credentials, maxAge);
  }

  private static List<String> origins(YamlValue v) {
    List<YamlValue> items = v.list("origins such as https://app.example.com");
    if (items == null) {
      return null;
    }
    if (items.isEmpty()) {
      v.error("expected at least one origin");
      return null;
    }
    List<String> out = new ArrayList<>();
    for (YamlValue item : items) {
      String o = item.parsed("an origin", CorsConfig::checkOrigin);
      if (o == null) {
        return null;
      }
      out.add(o);
    }
    return List.copyOf(out);
  }

  private static List<String> names(
      YamlMapping m, String key, List<String> fallback, boolean upper) {
    if (!m.has(key)) {
      return fallback;
    }
    List<YamlValue> items = m.get(key).list("names");
    if (items == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (YamlValue item : items) {
      String s = item.nonEmptyString("a name");
      if (s == null) {
        return null;
      }
      out.add(upper ? s.toUpperCase(Locale.ROOT) : s.toLowerCase(Locale.ROOT));
    }
    return List.copyOf(out);
  }

  private static Boolean bool(String s) {
    return switch (s) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("expected true or false, got '" + s + "'");
    };
  }
}
