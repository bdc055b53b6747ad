package dev.ferry.cli;

import dev.ferry.cli.exit.UserFacingException;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;

/** Reads and writes {@code host:port} and {@code [v6]:port} as the command line spells them. */
final class HostPort {
  private HostPort() {}

  /** The address in {@code value}; a usage error naming {@code option} when it is not one. */
  static InetSocketAddress parse(String option, String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new UserFacingException(option + ": '" + value + "' (expected: HOST:PORT)");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new UserFacingException(option + ": '" + value + "' (expected: HOST:PORT)");
    }
    if (port < 0 || port > 65535) {
      throw new UserFacingException(option + ": port " + port + " (expected: 0..65535)");
    }
    return new InetSocketAddress(host, port);
  }

  static String format(InetSocketAddress a) {
    return NetUtil.toSocketAddressString(a.getHostString(), a.getPort());
  }
}
