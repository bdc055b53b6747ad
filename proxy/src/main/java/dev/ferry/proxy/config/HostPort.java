package dev.ferry.proxy.config;

import java.util.regex.Pattern;

/**
 * An address written as {@code host:port}, {@code [::1]:8080} for IPv6; parsed once for listeners
 * (port 0 allowed: pick a free one) and endpoints (port 1 or more).
 *
 * @param host a host name or IP literal, IPv6 without brackets
 * @param port the port
 */
record HostPort(String host, int port) {
  static final String EXPECTED = "host:port such as 127.0.0.1:8080 or [::1]:8080";

  // Host names (RFC 1123 labels, underscores tolerated as resolvers do) and IPv4 literals.
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");

  /**
   * Parses {@code text}.
   *
   * @param minPort 0 for listeners, 1 for endpoints
   * @throws IllegalArgumentException with a message saying what was expected
   */
  static HostPort parse(String text, int minPort) {
    String t = text.trim();
    if (t.contains("://")) {
      throw new IllegalArgumentException(
          "expected " + EXPECTED + " without a scheme, got '" + text + "'");
    }
    String host;
    String port;
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0 || close + 1 >= t.length() || t.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("expected " + EXPECTED + ", got '" + text + "'");
      }
      host = t.substring(1, close);
      port = t.substring(close + 2);
      if (!host.contains(":") || !IPV6.matcher(host).matches()) {
        throw new IllegalArgumentException(
            "'" + host + "' in brackets is not an IPv6 address, in '" + text + "'");
      }
    } else {
      int colon = t.lastIndexOf(':');
      if (colon < 0) {
        String hint = t.matches("\\d+") ? " (a host is needed: 127.0.0.1:" + t + "?)" : "";
        throw new IllegalArgumentException("expected " + EXPECTED + ", got '" + text + "'" + hint);
      }
      host = t.substring(0, colon);
      port = t.substring(colon + 1);
      if (host.contains(":")) {
        throw new IllegalArgumentException(
            "an IPv6 address needs brackets: [" + host + "]:" + port + ", got '" + text + "'");
      }
      if (!HOST.matcher(host).matches()) {
        throw new IllegalArgumentException(
            "'" + host + "' is not a host name or IP address, in '" + text + "'");
      }
    }
    return new HostPort(host, parsePort(port, minPort, text));
  }

  private static int parsePort(String port, int minPort, String text) {
    if (!port.matches("\\d{1,5}")) {
      throw new IllegalArgumentException(
          "'" + port + "' is not a port number, in '" + text + "' (expected " + EXPECTED + ")");
    }
    int p = Integer.parseInt(port);
    if (p < minPort || p > 65535) {
      throw new IllegalArgumentException(
          "port " + p + " is out of range (expected " + minPort + " to 65535), in '" + text + "'");
    }
    return p;
  }

  /** Whether this binds every interface, and so overlaps any other address on the same port. */
  boolean isWildcard() {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
