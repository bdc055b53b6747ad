package dev.ferry.proxy.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads a route's {@code match:}: service, method, path prefix, authority and headers. */
final class MatchReader {
  static final Pattern SERVICE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
  static final Pattern METHOD = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*/[A-Za-z_][A-Za-z0-9_]*");
  private static final String HEADER = "{ name: x-env, exact: canary } (or prefix:, regex:)";

  private MatchReader() {}

  /** The match, or {@code null} after reporting. */
  static RouteMatch read(YamlValue v) {
    YamlMapping m =
        v.mapping("service", "method", "prefix", "authority", "headers", "client_subject");
    if (m == null) {
      return null;
    }
    boolean ok = true;
    String service = null;
    if (m.has("service")) {
      service = service(m.get("service"));
      ok &= service != null;
    }
    String method = null;
    if (m.has("method")) {
      method = method(m.get("method"));
      ok &= method != null;
    }
    if (service != null && method != null && !method.startsWith(service + "/")) {
      m.get("method")
          .error(
              "method "
                  + method
                  + " is not in service "
                  + service
                  + ", so the route never matches");
      ok = false;
    }
    String prefix = null;
    if (m.has("prefix")) {
      prefix = prefix(m.get("prefix"));
      ok &= prefix != null;
    }
    String authority = null;
    if (m.has("authority")) {
      authority = authority(m.get("authority"));
      ok &= authority != null;
    }
    List<HeaderMatch> headers = List.of();
    if (m.has("headers")) {
      headers = headers(m.get("headers"));
      ok &= headers != null;
    }
    Pattern clientSubject = null;
    if (m.has("client_subject")) {
      clientSubject = regex(m.get("client_subject"));
      ok &= clientSubject != null;
    }
    return ok ? new RouteMatch(service, method, prefix, authority, headers, clientSubject) : null;
  }

  /** A regex such as {@code CN=billing,.*}. */
  static Pattern regex(YamlValue v) {
    String text = v.nonEmptyString("a regex such as 'CN=billing,.*'");
    if (text == null) {
      return null;
    }
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      v.error("invalid regex '" + text + "': " + e.getDescription() + " at index " + e.getIndex());
      return null;
    }
  }

  private static String service(YamlValue v) {
    String s = v.nonEmptyString("a gRPC service such as helloworld.Greeter");
    if (s != null && !SERVICE.matcher(s).matches()) {
      String hint = s.startsWith("/") ? " (without the slash: " + s.substring(1) + "?)" : "";
      v.error("expected a gRPC service such as helloworld.Greeter, got '" + s + "'" + hint);
      return null;
    }
    return s;
  }

  private static String method(YamlValue v) {
    String s = v.nonEmptyString("a gRPC method such as helloworld.Greeter/SayHello");
    if (s != null && !METHOD.matcher(s).matches()) {
      String hint =
          s.startsWith("/") ? " (without the leading slash: " + s.substring(1) + "?)" : "";
      v.error("expected a gRPC method such as helloworld.Greeter/SayHello, got '" + s + "'" + hint);
      return null;
    }
    return s;
  }

  private static String prefix(YamlValue v) {
    String s = v.nonEmptyString("a path prefix such as /api/");
    if (s != null && !s.startsWith("/")) {
      v.error("expected a path prefix starting with /, such as /api/, got '" + s + "'");
      return null;
    }
    return s;
  }

  private static String authority(YamlValue v) {
    String s = v.nonEmptyString("a host name such as api.local");
    if (s == null) {
      return null;
    }
    boolean hasPort = s.startsWith("[") ? s.contains("]:") : s.contains(":");
    if (hasPort || s.contains("/") || s.contains(" ")) {
      v.error("expected a host name without port, such as api.local, got '" + s + "'");
      return null;
    }
    // Host names compare case-insensitively (RFC 9110 section 4.2.3).
    return s.toLowerCase(Locale.ROOT);
  }

  private static List<HeaderMatch> headers(YamlValue v) {
    List<YamlValue> items = v.list(HEADER);
    if (items == null) {
      return null;
    }
    List<HeaderMatch> headers = new ArrayList<>();
    boolean ok = true;
    for (YamlValue item : items) {
      HeaderMatch h = header(item);
      ok &= h != null;
      if (h != null) {
        headers.add(h);
      }
    }
    return ok ? List.copyOf(headers) : null;
  }

  private static HeaderMatch header(YamlValue item) {
    YamlMapping m = item.mapping("name", "exact", "prefix", "regex");
    if (m == null) {
      return null;
    }
    YamlValue nameValue = m.require("name", "a header name such as x-env");
    String name = nameValue == null ? null : HeaderNames.read(nameValue);
    List<String> given = m.keys().stream().filter(k -> !k.equals("name")).toList();
    if (given.size() != 1 || !List.of("exact", "prefix", "regex").contains(given.get(0))) {
      item.error(
          "expected exactly one of exact, prefix or regex"
              + (given.isEmpty() ? "" : ", got " + String.join(", ", given)));
      return null;
    }
    String kind = given.get(0);
    YamlValue value = m.get(kind);
    String text = value.string("the value to compare with");
    if (name == null || text == null) {
      return null;
    }
    return switch (kind) {
      case "exact" -> new HeaderMatch(name, text, null, null);
      case "prefix" -> new HeaderMatch(name, null, text, null);
      default -> {
        try {
          yield new HeaderMatch(name, null, null, Pattern.compile(text));
        } catch (PatternSyntaxException e) {
          value.error(
              "invalid regex '" + text + "': " + e.getDescription() + " at index " + e.getIndex());
          yield null;
        }
      }
    };
  }
}
