package dev.ferry.proxy.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A listener's address as written: {@code host:port} (port 0 picks a free one), or a Unix domain
 * socket {@code unix:/path}; the one grammar of {@code --listen} and of a listener's {@code
 * address:}.
 *
 * @param tcp the host and port, or {@code null} for a Unix socket
 * @param socket the socket file, or {@code null} for TCP
 */
record ListenAddress(HostPort tcp, Path socket) {
  static final String EXPECTED = HostPort.EXPECTED + ", or unix:/path such as unix:/run/ferry.sock";

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException with a message saying what was expected
   */
  static ListenAddress parse(String text) {
    if (UnixSocketPath.isUnix(text)) {
      return new ListenAddress(null, UnixSocketPath.parse(text));
    }
    return new ListenAddress(HostPort.parse(text, 0), null);
  }

  /** A listener on this address serving {@code routes}, its other settings still to give. */
  ListenerConfig.Builder builder(List<RouteConfig> routes) {
    return socket != null
        ? ListenerConfig.builder(socket, routes)
        : ListenerConfig.builder(tcp.host(), tcp.port(), routes);
  }

  @Override
  public String toString() {
    return socket != null ? UnixSocketPath.text(socket) : tcp.toString();
  }
}
