package dev.ferry.proxy.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One listening address serving HTTP/1.1, h2c (prior knowledge and Upgrade) or, with {@link #tls},
 * TLS with ALPN choosing HTTP/2 or HTTP/1.1.
 *
 * @param host the address to bind, for example {@code 127.0.0.1} or {@code ::}; {@code null} for a
 *     Unix socket
 * @param port the port; 0 picks a free one; 0 for a Unix socket
 * @param socket the Unix domain socket file to listen on, or {@code null} for TCP
 * @param routes the routes in order; the first that matches wins
 * @param idleTimeout a client connection with no open stream for this long is closed; zero for
 *     never
 * @param tls the listener's TLS, or {@code null} for plaintext
 * @param acl who may connect, or {@code null} for everyone
 * @param limits limits against abusive clients
 * @param trace where the trace of every connection is written, or {@code null} for none
 * @param cors which browser pages of other origins may call, or {@code null}: every route without a
 *     {@code cors:} of its own has this one, and requests that match no route get its answers
 */
public record ListenerConfig(
    String host,
    int port,
    Path socket,
    List<RouteConfig> routes,
    Duration idleTimeout,
    TlsConfig tls,
    AclConfig acl,
    ListenerLimits limits,
    TraceConfig trace,
    CorsConfig cors) {

  /**
   * Checks what the data path relies on: the loader and {@link Builder} fill every default, so
   * nothing downstream applies one again.
   */
  public ListenerConfig {
    if ((host == null) == (socket == null)) {
      throw new IllegalArgumentException(
          "host " + host + ", socket " + socket + " (expected: exactly one of the two)");
    }
    routes = List.copyOf(routes);
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(limits, "limits");
  }

  /** A plaintext listener on {@code host:port} with {@code routes}, everything else default. */
  public static Builder builder(String host, int port, List<RouteConfig> routes) {
    return new Builder(host, port, null, routes);
  }

  /** A plaintext listener on the Unix domain socket {@code socket}, everything else default. */
  public static Builder builder(Path socket, List<RouteConfig> routes) {
    return new Builder(null, 0, socket, routes);
  }

  /** {@code 127.0.0.1:8080}, {@code [::1]:8080} or {@code unix:/run/ferry.sock}. */
  public String address() {
    return socket != null ? UnixSocketPath.text(socket) : new HostPort(host, port).toString();
  }

  /** A builder holding this listener's values, to change some of them. */
  public Builder toBuilder() {
    return new Builder(host, port, socket, routes)
        .idleTimeout(idleTimeout)
        .tls(tls)
        .acl(acl)
        .limits(limits)
        .trace(trace)
        .cors(cors);
  }

  /**
   * Builds a {@link ListenerConfig}, starting from {@link ConfigDefaults#IDLE_TIMEOUT} and {@link
   * ListenerLimits#DEFAULTS}: the one place where a listener's defaults are applied.
   */
  public static final class Builder {
    private final String host;
    private final int port;
    private final Path socket;
    private final List<RouteConfig> routes;
    private Duration idleTimeout = ConfigDefaults.IDLE_TIMEOUT;
    private TlsConfig tls;
    private AclConfig acl;
    private ListenerLimits limits = ListenerLimits.DEFAULTS;
    private TraceConfig trace;
    private CorsConfig cors;

    private Builder(String host, int port, Path socket, List<RouteConfig> routes) {
      this.host = host;
      this.port = port;
      this.socket = socket;
      this.routes = routes;
    }

    /** Zero for never. */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
      return this;
    }

    /** {@code null} for plaintext. */
    public Builder tls(TlsConfig tls) {
      this.tls = tls;
      return this;
    }

    /** {@code null} for everyone. */
    public Builder acl(AclConfig acl) {
      this.acl = acl;
      return this;
    }

    public Builder limits(ListenerLimits limits) {
      this.limits = limits;
      return this;
    }

    /** {@code null} for none. */
    public Builder trace(TraceConfig trace) {
      this.trace = trace;
      return this;
    }

    /** {@code null} for no CORS answers except those of routes with their own. */
    public Builder cors(CorsConfig cors) {
      this.cors = cors;
      return this;
    }

    public ListenerConfig build() {
      // The listener's cors: is every route's default, applied here once; a route's own wins.
      List<RouteConfig> withCors =
          cors == null ? routes : routes.stream().map(r -> r.withDefaultCors(cors)).toList();
      return new ListenerConfig(
          host, port, socket, withCors, idleTimeout, tls, acl, limits, trace, cors);
    }
  }
}
