package dev.ferry.cli.importer.nginx;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** nginx's ways of writing a time and a size, read and written again as ferry writes them. */
final class NginxValues {
  private static final Pattern TIME_PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|M|y)?");
  private static final Pattern SIZE = Pattern.compile("(\\d+)([kKmMgG]?)");

  private NginxValues() {}

  /**
   * A time such as {@code 60s}, {@code 1m30s} or {@code 30} (seconds) as a ferry duration ({@code
   * 1m30s} stays a sum of whole units), or {@code null} when it is not one.
   */
  static String duration(String nginx) {
    Long ms = millis(nginx);
    return ms == null ? null : formatMillis(ms);
  }

  static Long millis(String nginx) {
    String s = nginx.trim();
    if (s.isEmpty()) {
      return null;
    }
    long total = 0;
    int at = 0;
    Matcher m = TIME_PART.matcher(s);
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        return null;
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      total +=
          n
              * switch (unit) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                case "d" -> 86_400_000L;
                case "w" -> 7 * 86_400_000L;
                case "M" -> 30 * 86_400_000L;
                default -> 365 * 86_400_000L;
              };
      at = m.end();
    }
    return total;
  }

  static String formatMillis(long ms) {
    if (ms == 0) {
      return "0s";
    }
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1_000 == 0) {
      return ms / 1_000 + "s";
    }
    return ms + "ms";
  }

  /** A count such as {@code 3}, or {@code null} when it is not one. */
  static Integer count(String s) {
    return s.matches("\\d{1,9}") ? Integer.valueOf(s) : null;
  }

  /** A size such as {@code 4m}, {@code 512k} or {@code 1024} in bytes, or {@code null}. */
  static Long bytes(String nginx) {
    Matcher m = SIZE.matcher(nginx.trim());
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> n << 10;
      case "m" -> n << 20;
      case "g" -> n << 30;
      default -> n;
    };
  }

  /** Bytes as ferry writes a size: {@code 4MiB}, {@code 512KiB} or a plain count. */
  static String formatBytes(long n) {
    if (n % (1 << 20) == 0) {
      return (n >> 20) + "MiB";
    }
    if (n % (1 << 10) == 0) {
      return (n >> 10) + "KiB";
    }
    return Long.toString(n);
  }

  /**
   * {@code host:port} with the port nginx assumes when none is given; IPv6 stays in brackets, and
   * {@code *} (any address) becomes {@code 0.0.0.0}.
   */
  static String hostPort(String address, int defaultPort) {
    String host;
    String port;
    if (address.startsWith("[")) {
      int close = address.indexOf(']');
      host = address.substring(0, close + 1);
      port = address.length() > close + 2 ? address.substring(close + 2) : null;
    } else if (address.matches("\\d+")) {
      host = "0.0.0.0";
      port = address;
    } else {
      int colon = address.lastIndexOf(':');
      host = colon < 0 ? address : address.substring(0, colon);
      port = colon < 0 ? null : address.substring(colon + 1);
    }
    if (host.equals("*")) {
      host = "0.0.0.0";
    }
    if (port != null && !port.matches("\\d{1,5}")) {
      return null;
    }
    return host + ":" + (port == null ? defaultPort : Integer.parseInt(port));
  }
}
