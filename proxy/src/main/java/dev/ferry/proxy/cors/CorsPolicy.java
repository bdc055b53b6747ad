package dev.ferry.proxy.cors;

import dev.ferry.proxy.config.CorsConfig;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Locale;

/**
 * A route's {@link CorsConfig} ready for requests: whether an origin may call, and the headers of
 * preflight and actual answers, joined once.
 */
public final class CorsPolicy {
  static final AsciiString ORIGIN = AsciiString.cached("origin");
  static final AsciiString REQUEST_METHOD = AsciiString.cached("access-control-request-method");
  static final AsciiString ALLOW_ORIGIN = AsciiString.cached("access-control-allow-origin");
  static final AsciiString ALLOW_METHODS = AsciiString.cached("access-control-allow-methods");
  static final AsciiString ALLOW_HEADERS = AsciiString.cached("access-control-allow-headers");
  static final AsciiString EXPOSE_HEADERS = AsciiString.cached("access-control-expose-headers");
  static final AsciiString ALLOW_CREDENTIALS =
      AsciiString.cached("access-control-allow-credentials");
  static final AsciiString MAX_AGE = AsciiString.cached("access-control-max-age");
  static final AsciiString VARY = AsciiString.cached("vary");
  private static final AsciiString HOST = AsciiString.cached("host");
  private static final AsciiString OPTIONS = AsciiString.cached("OPTIONS");

  private final List<String> exact;
  private final List<String>
      suffixes; // "https://*.example.com" as scheme "https://", ".example.com"
  private final List<String> suffixSchemes;
  private final boolean any;
  private final String methods;
  private final String allowHeaders;
  private final String exposeHeaders;
  private final boolean credentials;
  private final String maxAgeSeconds;

  /** Compiles {@code config}. */
  public CorsPolicy(CorsConfig config) {
    this.any = config.allowOrigins().contains("*");
    this.exact = config.allowOrigins().stream().filter(o -> !o.contains("*")).toList();
    List<String> wild = config.allowOrigins().stream().filter(o -> o.contains("://*.")).toList();
    this.suffixSchemes = wild.stream().map(o -> o.substring(0, o.indexOf("://") + 3)).toList();
    this.suffixes = wild.stream().map(o -> o.substring(o.indexOf("://*.") + 4)).toList();
    this.methods = String.join(", ", config.allowMethods());
    this.allowHeaders = String.join(", ", config.allowHeaders());
    this.exposeHeaders = String.join(", ", config.exposeHeaders());
    this.credentials = config.allowCredentials();
    this.maxAgeSeconds = Long.toString(config.maxAge().toSeconds());
  }

  /**
   * The request's {@code origin} header, or {@code null} when it has none or names the proxy
   * itself: browsers send {@code origin} with a same-origin POST too, and a page served through
   * ferry must not need its own origin listed.
   */
  public static CharSequence crossOrigin(Http2Headers request) {
    CharSequence origin = request.get(ORIGIN);
    if (origin == null) {
      return null;
    }
    CharSequence authority = request.authority();
    if (authority == null) {
      authority = request.get(HOST);
    }
    int sep = AsciiString.indexOf(origin, ':', 0);
    boolean same =
        authority != null
            && sep > 0
            && origin.length() == sep + 3 + authority.length()
            && AsciiString.regionMatches(origin, true, sep + 3, authority, 0, authority.length());
    return same ? null : origin;
  }

  /** Whether {@code request} is a preflight: OPTIONS asking for a method. */
  public static boolean isPreflight(Http2Headers request) {
    return OPTIONS.contentEqualsIgnoreCase(request.method()) && request.contains(REQUEST_METHOD);
  }

  /**
   * Whether a page of {@code origin} may call: it is listed, or its host is a subdomain (at any
   * depth) of a wildcard's with the same scheme and port, or {@code *} is listed.
   */
  public boolean allows(CharSequence origin) {
    if (any) {
      return true;
    }
    String o = origin.toString().toLowerCase(Locale.ROOT);
    if (exact.contains(o)) {
      return true;
    }
    for (int i = 0; i < suffixes.size(); i++) {
      String scheme = suffixSchemes.get(i);
      String suffix = suffixes.get(i);
      if (o.startsWith(scheme)
          && o.endsWith(suffix)
          && o.length() > scheme.length() + suffix.length()) {
        String label = o.substring(scheme.length(), o.length() - suffix.length());
        // The part the '*' stands for is one or more whole labels, never a port or a path.
        if (!label.startsWith(".") && label.chars().noneMatch(c -> c == ':' || c == '/')) {
          return true;
        }
      }
    }
    return false;
  }

  /** Adds what an answer to allowed {@code origin} carries, preflight or not. */
  void addOrigin(Http2Headers response, CharSequence origin) {
    // The allowed origin itself, never '*': then credentials work and caches key on Vary.
    response.set(ALLOW_ORIGIN, origin);
    response.add(VARY, ORIGIN);
    if (credentials) {
      response.set(ALLOW_CREDENTIALS, "true");
    }
  }

  /** Adds the headers of an actual (not preflight) answer to allowed {@code origin}. */
  void addActual(Http2Headers response, CharSequence origin) {
    addOrigin(response, origin);
    if (!exposeHeaders.isEmpty()) {
      response.set(EXPOSE_HEADERS, exposeHeaders);
    }
  }

  /** Adds the headers of a preflight answer to allowed {@code origin}. */
  void addPreflight(Http2Headers response, CharSequence origin) {
    addOrigin(response, origin);
    response.set(ALLOW_METHODS, methods);
    if (!allowHeaders.isEmpty()) {
      response.set(ALLOW_HEADERS, allowHeaders);
    }
    response.set(MAX_AGE, maxAgeSeconds);
  }
}
