package dev.ferry.proxy.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address range such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a
 * range of one. An IPv4-mapped IPv6 client ({@code ::ffff:10.1.2.3}, as a dual-stack socket reports
 * IPv4 clients) is matched as the IPv4 address it is.
 */
public final class CidrRange {
  private final byte[] network;
  private final int prefixLength;
  private final String text;

  private CidrRange(byte[] network, int prefixLength, String text) {
    this.network = network;
    this.prefixLength = prefixLength;
    this.text = text;
  }

  /**
   * Parses {@code 10.0.0.0/8}, {@code ::1/128}, {@code 192.168.1.7} or {@code ::1}.
   *
   * @throws IllegalArgumentException with a message for a person, naming the value
   */
  public static CidrRange parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    String address = slash < 0 ? s : s.substring(0, slash);
    if (address.startsWith("[") && address.endsWith("]")) {
      address = address.substring(1, address.length() - 1);
    }
    if (!isLiteral(address)) {
      throw new IllegalArgumentException(
          "expected an IP range such as 10.0.0.0/8 or fd00::/8, got '" + text + "'");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress(); // a literal: no DNS lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "expected an IP range such as 10.0.0.0/8 or fd00::/8, got '" + text + "'");
    }
    int max = bytes.length * 8;
    int length = max;
    if (slash >= 0) {
      try {
        length = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        length = -1;
      }
      if (length < 0 || length > max) {
        throw new IllegalArgumentException(
            "prefix length in '" + text + "' must be from 0 to " + max);
      }
    }
    byte[] network = mask(bytes, length);
    if (!java.util.Arrays.equals(network, bytes)) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' has host bits set; the range it names is "
              + format(network)
              + "/"
              + length);
    }
    return new CidrRange(network, length, s);
  }

  private static boolean isLiteral(String s) {
    if (s.isEmpty()) {
      return false;
    }
    if (s.indexOf(':') >= 0) {
      return s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
    }
    return s.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))
        && s.split("\\.", -1).length == 4;
  }

  private static byte[] mask(byte[] bytes, int length) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int bits = Math.max(0, Math.min(8, length - i * 8));
      out[i] &= (byte) (0xff << (8 - bits));
    }
    return out;
  }

  private static String format(byte[] b) {
    try {
      return InetAddress.getByAddress(b).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code address} lies in this range. */
  public boolean contains(InetAddress address) {
    byte[] b = unmapped(address).getAddress();
    if (b.length != network.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (b[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int m = 0xff << (8 - rest);
    return (b[full] & m) == (network[full] & m);
  }

  /** {@code ::ffff:a.b.c.d} as the IPv4 address {@code a.b.c.d}. */
  public static InetAddress unmapped(InetAddress a) {
    if (a instanceof Inet6Address) {
      byte[] b = a.getAddress();
      for (int i = 0; i < 10; i++) {
        if (b[i] != 0) {
          return a;
        }
      }
      if (b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
        try {
          return Inet4Address.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return a;
  }

  @Override
  public String toString() {
    return text;
  }
}
