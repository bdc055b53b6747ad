package dev.ferry.proxy.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes durations as people write them in configuration: {@code 250ms}, {@code 5s},
 * {@code 1m}, {@code 1h}, or sums such as {@code 1m30s}; {@code 0} alone is zero.
 */
public final class Durations {
  static final String EXPECTED = "a duration such as 5s, 250ms, 1m or 1h";

  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h))+");
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException with a message saying what was expected
   */
  public static Duration parse(String text) {
    String t = text.trim();
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    if (!WHOLE.matcher(t).matches()) {
      String hint = t.matches("\\d+") ? " (a unit is needed: " + t + "s?)" : "";
      throw new IllegalArgumentException("expected " + EXPECTED + ", got '" + text + "'" + hint);
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(t);
    try {
      while (m.find()) {
        long n = Long.parseLong(m.group(1));
        total =
            total.plus(
                switch (m.group(2)) {
                  case "ms" -> Duration.ofMillis(n);
                  case "s" -> Duration.ofSeconds(n);
                  case "m" -> Duration.ofMinutes(n);
                  default -> Duration.ofHours(n);
                });
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("duration '" + text + "' is too long");
    }
    return total;
  }

  /** The shortest way to write {@code d} in the syntax {@link #parse} reads: {@code 1m30s}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    long ms = d.toMillis();
    StringBuilder sb = new StringBuilder();
    long h = ms / 3_600_000;
    long m = ms / 60_000 % 60;
    long s = ms / 1000 % 60;
    long rest = ms % 1000;
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (m > 0) {
      sb.append(m).append('m');
    }
    if (s > 0) {
      sb.append(s).append('s');
    }
    if (rest > 0) {
      sb.append(rest).append("ms");
    }
    return sb.toString();
  }
}
