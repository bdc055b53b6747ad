package dev.ferry.proxy.config;

import java.util.Locale;
import java.util.regex.Pattern;

/** Checks header names given in the configuration and brings them to HTTP/2's lower case. */
final class HeaderNames {
  // RFC 9110 section 5.6.2: a header name is a token.
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private HeaderNames() {}

  /** The lower-case name of a header to match, or {@code null} after reporting. */
  static String read(YamlValue v) {
    return read(v, false);
  }

  /**
   * The lower-case name, or {@code null} after reporting; {@code changed} as in {@link #problem}.
   */
  static String read(YamlValue v, boolean changed) {
    String s = v.nonEmptyString("a header name such as x-user-id");
    if (s == null) {
      return null;
    }
    String problem = problem(s, changed);
    if (problem != null) {
      v.error(problem);
      return null;
    }
    return s.toLowerCase(Locale.ROOT);
  }

  /**
   * What is wrong with {@code name}, or {@code null} when it is a usable header name.
   *
   * @param changed whether the name is to be set, added or removed, rather than matched
   */
  static String problem(String name, boolean changed) {
    if (name.startsWith(":")) {
      return changed
          ? "'" + name + "' is a pseudo-header, which the proxy keeps as it is"
          : "'"
              + name
              + "' is a pseudo-header; match the path with service, method or prefix, and the host"
              + " with authority";
    }
    if (!TOKEN.matcher(name).matches()) {
      return "'" + name + "' is not a valid header name (letters, digits and -, such as x-user-id)";
    }
    return null;
  }
}
