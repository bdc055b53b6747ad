package dev.ferry.proxy.config;

import java.time.Duration;
import java.util.List;

/**
 * One listening address serving HTTP/1.1, h2c (prior knowledge and Upgrade) or, with {@link #tls},
 * TLS with ALPN choosing HTTP/2 or HTTP/1.1.
 *
 * @param host the address to bind, for example {@code 127.0.0.1} or {@code ::}
 * @param port the port; 0 picks a free one
 * @param routes the routes in order; the first that matches wins
 * @param idleTimeout a client connection with no open stream for this long is closed; zero for
 *     never
 * @param tls the listener's TLS, or {@code null} for plaintext
 * @param acl who may connect, or {@code null} for everyone
 * @param limits limits against abusive clients
 * @param trace where the trace of every connection is written, or {@code null} for none
 */
public record ListenerConfig(
    String host,
    int port,
    List<RouteConfig> routes,
    Duration idleTimeout,
    TlsConfig tls,
    AclConfig acl,
    ListenerLimits limits,
    TraceConfig trace) {

  /** A listener without a trace. */
  public ListenerConfig(
      String host,
      int port,
      List<RouteConfig> routes,
      Duration idleTimeout,
      TlsConfig tls,
      AclConfig acl,
      ListenerLimits limits) {
    this(host, port, routes, idleTimeout, tls, acl, limits, null);
  }

  /** The same listener with {@code trace} (null for none). */
  public ListenerConfig withTrace(TraceConfig trace) {
    return new ListenerConfig(host, port, routes, idleTimeout, tls, acl, limits, trace);
  }

  /** A listener with the default limits and no access control. */
  public ListenerConfig(
      String host, int port, List<RouteConfig> routes, Duration idleTimeout, TlsConfig tls) {
    this(host, port, routes, idleTimeout, tls, null, ListenerLimits.DEFAULTS);
  }

  /** A plaintext listener. */
  public ListenerConfig(String host, int port, List<RouteConfig> routes, Duration idleTimeout) {
    this(host, port, routes, idleTimeout, null);
  }
}
