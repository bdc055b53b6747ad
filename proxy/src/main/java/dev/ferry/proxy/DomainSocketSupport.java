package dev.ferry.proxy;

import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.Endpoint;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ProxyConfig;
import io.netty.channel.epoll.Epoll;

/**
 * Whether this platform can serve a config's Unix domain sockets: they come with Netty's epoll
 * transport (Linux), so elsewhere a config naming one is refused as a whole rather than failing
 * call by call.
 */
final class DomainSocketSupport {
  private DomainSocketSupport() {}

  /**
   * Checks {@code config} against the platform.
   *
   * @throws IllegalArgumentException naming the first socket when the transport is not there
   */
  static void check(ProxyConfig config) {
    if (Epoll.isAvailable()) {
      return;
    }
    String socket = firstSocket(config);
    if (socket != null) {
      throw new IllegalArgumentException(
          socket
              + ": Unix domain sockets need Netty's epoll transport (Linux), which is not"
              + " available here: "
              + Epoll.unavailabilityCause().getMessage());
    }
  }

  /** The first listener or endpoint that is a Unix socket, as written, or {@code null}. */
  private static String firstSocket(ProxyConfig config) {
    for (ListenerConfig l : config.listeners()) {
      if (l.socket() != null) {
        return l.address();
      }
    }
    for (ClusterConfig c : config.clusters().values()) {
      for (Endpoint e : c.endpoints()) {
        if (e.socket() != null) {
          return e.toString();
        }
      }
    }
    return null;
  }
}
