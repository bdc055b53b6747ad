package dev.ferry.proxy.config;

import java.nio.file.Path;

/**
 * One upstream address as configured: a host and port, or a Unix domain socket.
 *
 * @param host a host name or an IP literal (IPv6 without brackets); for a Unix socket {@code
 *     localhost}, the name gRPC gives such a server and the one TLS checks unless told otherwise
 * @param port the port; 0 for a Unix socket
 * @param socket the socket file, or {@code null} for TCP
 * @param weight the endpoint's share under weighted round robin; 1 otherwise
 */
public record Endpoint(String host, int port, Path socket, int weight) {
  /** An endpoint at {@code host:port}. */
  public static Endpoint tcp(String host, int port, int weight) {
    return new Endpoint(host, port, null, weight);
  }

  /** An endpoint listening on the Unix domain socket {@code socket}. */
  public static Endpoint unix(Path socket, int weight) {
    return new Endpoint("localhost", 0, socket, weight);
  }

  /** {@code 127.0.0.1:50051}, {@code [::1]:50051} or {@code unix:/run/app.sock}. */
  @Override
  public String toString() {
    return socket != null ? UnixSocketPath.text(socket) : new HostPort(host, port).toString();
  }
}
