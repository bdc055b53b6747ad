package dev.ferry.proxy.route;

import dev.ferry.proxy.config.RouteConfig;
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
  private volatile Route[] routes;

  private RouteTable(Route[] routes) {
    this.routes = routes;
  }

  /** Compiles {@code next} and makes it the table's routes for the calls that start from now on. */
  public void replace(List<RouteConfig> next) {
    this.routes = next.stream().map(Route::new).toArray(Route[]::new);
  }

  /** The clusters the routes lead to, each once, in route order. */
  public List<String> clusters() {
    List<String> out = new java.util.ArrayList<>();
    for (Route r : routes) {
      if (r.cluster() != null && !out.contains(r.cluster())) {
        out.add(r.cluster());
      }
    }
    return out;
  }

  /** Compiles {@code routes}, keeping their order. */
  public static RouteTable compile(List<RouteConfig> routes) {
    return new RouteTable(routes.stream().map(Route::new).toArray(Route[]::new));
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
    for (Route r : this.routes) {
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
      return close < 0 ? authority : authority.subSequence(1, close);
    }
    int colon = indexOf(authority, ':');
    return colon < 0 ? authority : authority.subSequence(0, colon);
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
