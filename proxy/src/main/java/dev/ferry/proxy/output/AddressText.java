package dev.ferry.proxy.output;

import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** How the access log, trace and admin listener write a socket address, without a DNS lookup. */
public final class AddressText {
  private AddressText() {}

  /**
   * {@code 127.0.0.1:53422}, {@code [::1]:53422}, or {@code unix:/path} for a Unix domain socket
   * (gRPC's and nginx's spelling, which ferry call takes back); {@code null} for anything else.
   */
  public static String of(SocketAddress address) {
    if (address instanceof InetSocketAddress a) {
      return NetUtil.toSocketAddressString(a.getHostString(), a.getPort());
    }
    if (address instanceof DomainSocketAddress socket) {
      return "unix:" + socket.path();
    }
    return null;
  }
}
