package dev.ferry.proxy.config;

import dev.ferry.proxy.config.ClusterConfig.Protocol;
import java.nio.file.Path;
import java.util.Locale;

/**
 * An endpoint as written, {@code [scheme://]host:port[/]} or {@code [scheme://]unix:/path}: the one
 * grammar of a cluster's {@code endpoints:} and of {@code --route}'s right side. The scheme says
 * how to speak to the endpoint; without one, the cluster's {@code protocol} does (h2 by default).
 *
 * @param scheme the scheme written, {@link Scheme#NONE} for none
 * @param address the host and port, or {@code null} for a Unix socket
 * @param socket the Unix socket file, or {@code null} for a host and port
 */
record EndpointUri(Scheme scheme, HostPort address, Path socket) {
  static final String EXPECTED =
      "host:port or unix:/path, or http://, https:// or grpcs:// before it, such as"
          + " 127.0.0.1:50051";

  /** What a scheme says about the connections to an endpoint. */
  enum Scheme {
    NONE(null, false),
    /** HTTP/1.1 in plaintext, as nginx's {@code proxy_pass http://}. */
    HTTP(Protocol.HTTP1, false),
    /** HTTP/1.1 over TLS. */
    HTTPS(Protocol.HTTP1, true),
    /** HTTP/2 over TLS with ALPN: gRPC backends with TLS. */
    GRPCS(Protocol.H2, true);

    private final Protocol protocol;
    private final boolean tls;

    Scheme(Protocol protocol, boolean tls) {
      this.protocol = protocol;
      this.tls = tls;
    }

    /** The protocol the scheme implies, or {@code null} when the cluster decides. */
    Protocol protocol() {
      return protocol;
    }

    /** Whether the scheme asks for TLS. */
    boolean tls() {
      return tls;
    }

    /** {@code http://}, or the empty string for {@link #NONE}. */
    String prefix() {
      return this == NONE ? "" : name().toLowerCase(Locale.ROOT) + "://";
    }
  }

  /**
   * Parses {@code text}; one trailing {@code /} after the port is allowed, as in URLs (not after a
   * socket path, where it would name a directory).
   *
   * @throws IllegalArgumentException with a message saying what was expected
   */
  static EndpointUri parse(String text) {
    String t = text.trim();
    Scheme scheme = Scheme.NONE;
    int i = UnixSocketPath.isUnix(t) ? -1 : t.indexOf("://");
    if (i >= 0) {
      scheme = schemeNamed(t.substring(0, i), text);
      t = t.substring(i + 3);
      if (t.endsWith("/") && !UnixSocketPath.isUnix(t)) {
        t = t.substring(0, t.length() - 1);
      }
    }
    if (UnixSocketPath.isUnix(t)) {
      return new EndpointUri(scheme, null, UnixSocketPath.parse(t));
    }
    return new EndpointUri(scheme, HostPort.parse(t, 1), null);
  }

  private static Scheme schemeNamed(String name, String text) {
    for (Scheme s : Scheme.values()) {
      if (s != Scheme.NONE && s.name().equalsIgnoreCase(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown scheme '"
            + name
            + "://' in '"
            + text
            + "' (expected: http://, https://, grpcs:// or none)");
  }

  Endpoint endpoint(int weight) {
    return socket != null
        ? Endpoint.unix(socket, weight)
        : Endpoint.tcp(address.host(), address.port(), weight);
  }
}
