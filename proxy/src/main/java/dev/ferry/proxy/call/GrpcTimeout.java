package dev.ferry.proxy.call;

import java.util.concurrent.TimeUnit;

/** Reads and writes the {@code grpc-timeout} header: up to 8 digits and a unit (H M S m u n). */
public final class GrpcTimeout {
  private GrpcTimeout() {}

  /** The timeout in nanoseconds, or -1 when {@code value} is absent or malformed. */
  public static long parseNanos(CharSequence value) {
    if (value == null || value.length() < 2 || value.length() > 9) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < value.length() - 1; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    switch (value.charAt(value.length() - 1)) {
      case 'H':
        return saturatedNanos(n, TimeUnit.HOURS);
      case 'M':
        return saturatedNanos(n, TimeUnit.MINUTES);
      case 'S':
        return saturatedNanos(n, TimeUnit.SECONDS);
      case 'm':
        return saturatedNanos(n, TimeUnit.MILLISECONDS);
      case 'u':
        return saturatedNanos(n, TimeUnit.MICROSECONDS);
      case 'n':
        return n;
      default:
        return -1;
    }
  }

  /**
   * The call's timeout: the client's {@code grpc-timeout}, capped by the route's {@code cap}, which
   * also applies when the client sent none; -1 for no deadline.
   */
  static long effectiveNanos(CharSequence header, java.time.Duration cap) {
    long timeout = parseNanos(header);
    if (cap != null && !cap.isZero() && (timeout < 0 || cap.toNanos() < timeout)) {
      timeout = cap.toNanos();
    }
    return timeout;
  }

  /** A non-negative decimal such as a status code, or -1. */
  static int parseDigits(CharSequence s) {
    if (s.length() == 0 || s.length() > 9) {
      return -1;
    }
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  private static long saturatedNanos(long n, TimeUnit unit) {
    return unit.toNanos(n);
  }

  /** The shortest exact-enough form of {@code nanos} with at most 8 digits, as grpc-java writes. */
  public static String format(long nanos) {
    if (nanos < 0) {
      nanos = 0;
    }
    final long cutoff = 100_000_000;
    if (nanos < cutoff) {
      return nanos + "n";
    } else if (nanos < cutoff * 1_000L) {
      return TimeUnit.NANOSECONDS.toMicros(nanos) + "u";
    } else if (nanos < cutoff * 1_000_000L) {
      return TimeUnit.NANOSECONDS.toMillis(nanos) + "m";
    } else if (nanos < cutoff * 1_000_000_000L) {
      return TimeUnit.NANOSECONDS.toSeconds(nanos) + "S";
    } else if (nanos < cutoff * 1_000_000_000L * 60L) {
      return TimeUnit.NANOSECONDS.toMinutes(nanos) + "M";
    } else {
      return Math.min(99_999_999L, TimeUnit.NANOSECONDS.toHours(nanos)) + "H";
    }
  }
}
