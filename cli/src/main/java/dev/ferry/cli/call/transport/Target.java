package dev.ferry.cli.call.transport;

import io.netty.util.NetUtil;

/**
 * The {@code host:port} a call goes to, as typed; IPv6 literals in brackets: {@code [::1]:8080}.
 */
public record Target(String host, int port) {

  public static Target parse(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException(
          "'" + address + "' is not host:port (expected: like 127.0.0.1:50051 or [::1]:8080)");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(
          "'" + address + "': write an IPv6 address in brackets, like [::1]:8080");
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "'" + address + "': port " + address.substring(colon + 1) + " (expected: 1 to 65535)");
    }
    return new Target(host, port);
  }

  @Override
  public String toString() {
    return NetUtil.toSocketAddressString(host, port);
  }
}
