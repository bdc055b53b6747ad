package dev.ferry.proxy.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes durations as people write them in configuration and on the command line: {@code
 * 250ms}, {@code 5s}, {@code 1m}, {@code 1h}, {@code 250us}, fractions such as {@code 1.5s}, or
 * sums such as {@code 1m30s}; {@code 0} alone is zero.
 */
public final class Durations {
  static final String EXPECTED = "a duration such as 5s, 250ms, 1m or 1h";

  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:us|ms|s|m|h))+");
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(us|ms|s|m|h)");
  private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000);

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
    // Summed in exact decimal nanoseconds, so that 1.1s is 1100ms and not a binary fraction off.
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher m = PART.matcher(t);
    while (m.find()) {
      long nanosPerUnit =
          switch (m.group(2)) {
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
          };
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(nanosPerUnit)));
    }
    BigDecimal[] seconds =
        nanos.setScale(0, RoundingMode.HALF_UP).divideAndRemainder(NANOS_PER_SECOND);
    try {
      return Duration.ofSeconds(seconds[0].longValueExact(), seconds[1].longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("duration '" + text + "' is too long");
    }
  }

  /**
   * The shortest way to write {@code d} in the syntax {@link #parse} reads: {@code 1m30s}. Parts
   * below a microsecond are left out.
   */
  public static String format(Duration d) {
    long us = d.toNanos() / 1000;
    if (us == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long h = us / 3_600_000_000L;
    long m = us / 60_000_000 % 60;
    long s = us / 1_000_000 % 60;
    long ms = us / 1000 % 1000;
    long rest = us % 1000;
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (m > 0) {
      sb.append(m).append('m');
    }
    if (s > 0) {
      sb.append(s).append('s');
    }
    if (ms > 0) {
      sb.append(ms).append("ms");
    }
    if (rest > 0) {
      sb.append(rest).append("us");
    }
    return sb.toString();
  }
}
