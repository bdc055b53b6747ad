package dev.ferry.proxy.accesslog;

import dev.ferry.proxy.output.AddressText;
import dev.ferry.proxy.status.GrpcCode;
import java.net.SocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The pieces of an entry that both formats print the same way. */
final class EntryFields {
  // Fixed width and always with milliseconds, unlike ISO_INSTANT, so that lines align and sort.
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

  private EntryFields() {}

  static String time(long epochMillis) {
    return TIME.format(Instant.ofEpochMilli(epochMillis));
  }

  /**
   * {@code 127.0.0.1:53422} or {@code [::1]:53422}, without a DNS lookup; for a client of a Unix
   * socket {@code unix:} as nginx writes it (with the client socket's path when it has one, which
   * is rare); {@code -} if unknown.
   */
  static String address(SocketAddress a) {
    String text = AddressText.of(a);
    return text != null ? text : "-";
  }

  /** {@code UNAVAILABLE}, or {@code CODE_42} for a code gRPC does not define. */
  static String grpcStatusName(int code) {
    return GrpcCode.nameOf(code);
  }

  /** Nanoseconds as milliseconds with three decimals: {@code 2.310}. */
  static void appendMillis(long nanos, StringBuilder sb) {
    long micros = Math.max(0, nanos) / 1000;
    sb.append(micros / 1000).append('.');
    long frac = micros % 1000;
    if (frac < 100) {
      sb.append('0');
    }
    if (frac < 10) {
      sb.append('0');
    }
    sb.append(frac);
  }
}
