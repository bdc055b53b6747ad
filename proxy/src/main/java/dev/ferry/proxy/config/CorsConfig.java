package dev.ferry.proxy.config;

import java.time.Duration;
import java.util.List;

/**
 * Which browser pages of other origins may call a listener or a route (the Fetch standard's CORS).
 *
 * @param allowOrigins origins such as {@code https://app.example.com}, {@code
 *     https://*.example.com} (any subdomain) or {@code *} (any, for development)
 * @param allowMethods methods a preflight allows
 * @param allowHeaders request headers a preflight allows
 * @param exposeHeaders response headers a page may read
 * @param allowCredentials whether a page may send cookies and authorization with its calls
 * @param maxAge how long a browser may keep a preflight's answer
 */
public record CorsConfig(
    List<String> allowOrigins,
    List<String> allowMethods,
    List<String> allowHeaders,
    List<String> exposeHeaders,
    boolean allowCredentials,
    Duration maxAge) {
  /** What gRPC-Web and Connect clients send. */
  public static final List<String> DEFAULT_ALLOW_HEADERS =
      List.of(
          "content-type",
          "x-grpc-web",
          "x-user-agent",
          "grpc-timeout",
          "connect-protocol-version",
          "connect-timeout-ms",
          "authorization");

  /** What gRPC-Web and Connect clients read. */
  public static final List<String> DEFAULT_EXPOSE_HEADERS =
      List.of("grpc-status", "grpc-message", "grpc-status-details-bin");

  /**
   * gRPC-Web and Connect send POST; Connect's idempotent calls may GET; OPTIONS is the preflight.
   */
  public static final List<String> DEFAULT_ALLOW_METHODS = List.of("GET", "POST", "OPTIONS");

  /** A browser caches a preflight's answer this long unless told otherwise. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(2);

  /** Checks the lists are there; the reader or {@link #allowing} fills the defaults. */
  public CorsConfig {
    allowOrigins = List.copyOf(allowOrigins);
    allowMethods = List.copyOf(allowMethods);
    allowHeaders = List.copyOf(allowHeaders);
    exposeHeaders = List.copyOf(exposeHeaders);
  }

  /** The defaults for gRPC-Web and Connect, allowing {@code origins}. */
  public static CorsConfig allowing(List<String> origins) {
    return new CorsConfig(
        origins,
        DEFAULT_ALLOW_METHODS,
        DEFAULT_ALLOW_HEADERS,
        DEFAULT_EXPOSE_HEADERS,
        false,
        DEFAULT_MAX_AGE);
  }

  /**
   * Checks {@code origin} is {@code *} or {@code scheme://host[:port]}, whose host may start with
   * {@code *.}; returns it lower-cased.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static String checkOrigin(String origin) {
    String o = origin.toLowerCase(java.util.Locale.ROOT);
    if (o.equals("*")) {
      return o;
    }
    int sep = o.indexOf("://");
    String host = sep <= 0 ? "" : o.substring(sep + 3);
    if (sep <= 0
        || host.isEmpty()
        || host.contains("/")
        || host.indexOf('*') > 0
        || (host.startsWith("*") && !host.startsWith("*."))
        || host.equals("*.")) {
      throw new IllegalArgumentException(
          "origin '"
              + origin
              + "' (expected: scheme://host[:port] such as https://app.example.com,"
              + " https://*.example.com for any subdomain, or * for any origin)");
    }
    return o;
  }
}
