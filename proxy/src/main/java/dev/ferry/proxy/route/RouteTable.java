package dev.ferry.proxy.route;

import dev.ferry.proxy.config.CorsConfig;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.cors.CorsPolicy;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * A listener's routes in order; {@link #match} returns the first that matches a request. A reload
 * {@link #replace}s them at once for every connection of the listener: each call reads the routes
 * once, so it sees either the old set or the new one, never a mix.
 */
public final class RouteTable {
  private static final AsciiString HOST = AsciiString.cached("host");
  private volatile Compiled compiled;

  /** The routes and the listener's CORS policy, replaced together so a call sees one set. */
  private record Compiled(Route[] routes, CorsPolicy cors) {
    static Compiled of(List<RouteConfig> routes, CorsConfig cors) {
      return new Compiled(
          routes.stream().map(Route::new).toArray(Route[]::new),
          cors == null ? null : new CorsPolicy(cors));
    }
  }

  private RouteTable(Compiled compiled) {
    this.compiled = compiled;
  }

  /**
   * Compiles {@code next} with the listener's CORS policy ({@code null} for none) and makes them
   * the table's for the calls that start from now on.
   */
  public void replace(List<RouteConfig> next, CorsConfig listenerCors) {
    this.compiled = Compiled.of(next, listenerCors);
  }

  /** The clusters the routes lead to, each once, in route order. */
  public List<String> clusters() {
    List<String> out = new java.util.ArrayList<>();
    for (Route r : compiled.routes()) {
      if (r.cluster() != null && !out.contains(r.cluster())) {
        out.add(r.cluster());
      }
    }
    return out;
  }

  /** Compiles {@code routes}, keeping their order. */
  public static RouteTable compile(List<RouteConfig> routes) {
    return compile(routes, null);
  }

  /** Like {@link #compile(List)}, with the listener's CORS policy ({@code null} for none). */
  public static RouteTable compile(List<RouteConfig> routes, CorsConfig listenerCors) {
    return new RouteTable(Compiled.of(routes, listenerCors));
  }

  /**
   * The CORS policy for a request that matched {@code route}: the route's (which is the listener's
   * unless the route has its own), or the listener's when no route matched, so that even a "no
   * route" answer reaches the page; {@code null} for none.
   */
  public CorsPolicy cors(Route route) {
    return route != null ? route.cors() : compiled.cors();
  }

  /**
   * The first route matching the request, or {@code null}. {@code headers} are HTTP/2 request
   * headers; the authority is {@code :authority}, else {@code host}, compared without the port.
   */
  public Route match(Http2Headers headers) {
    return match(headers, null);
  }

  /**
   * Like {@link #match(Http2Headers)}, for a client whose verified TLS certificate has {@code
   * clientSubject} ({@code null} without one).
   */
  public Route match(Http2Headers headers, String clientSubject) {
    CharSequence path = headers.path();
    if (path == null) {
      path = "";
    }
    CharSequence authority = headers.authority();
    if (authority == null) {
      authority = headers.get(HOST);
    }
    CharSequence host = authority == null ? null : stripPort(authority);
    for (Route r : this.compiled.routes()) {
      if (r.matches(path, host, headers, clientSubject)) {
        return r;
      }
    }
    return null;
  }

  /** {@code example.com:8080} → {@code example.com}; {@code [::1]:80} → {@code ::1}. */
  static CharSequence stripPort(CharSequence authority) {
    int len = authority.length();
    if (len > 0 && authority.charAt(0) == '[') {
      int close = indexOf(authority, ']');
      return close < 0 ? authority : view(authority, 1, close);
    }
    int colon = indexOf(authority, ':');
    return colon < 0 ? authority : view(authority, 0, colon);
  }

  /** Every request passes here: a header's bytes are viewed in place rather than copied. */
  private static CharSequence view(CharSequence s, int start, int end) {
    return s instanceof AsciiString a
        ? a.subSequence(start, end, false)
        : s.subSequence(start, end);
  }

  private static int indexOf(CharSequence s, char c) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }
}
