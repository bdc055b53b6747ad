package dev.ferry.proxy.route;

import dev.ferry.proxy.config.DirectReply;
import dev.ferry.proxy.config.HeaderMatch;
import dev.ferry.proxy.config.RetryPolicy;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.config.RouteMatch;
import dev.ferry.proxy.cors.CorsPolicy;
import dev.ferry.proxy.limits.RouteGuard;
import dev.ferry.proxy.retry.RetryBudget;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** One compiled route: its conditions, ready to test against a request's headers. */
public final class Route {
  private final String name;
  private final String pathPrefix;
  private final String exactPath;
  private final String authority;
  private final List<HeaderMatch> headers;
  private final Pattern clientSubject;
  private final RouteGuard guard;
  private final RouteConfig config;
  private final HeaderRewriter requestRewriter;
  private final HeaderRewriter responseRewriter;
  private final RetryBudget retryBudget;
  private final CorsPolicy cors;

  Route(RouteConfig config) {
    this.config = config;
    RouteMatch m = config.match();
    String prefix = null;
    String exact = null;
    String auth = null;
    List<HeaderMatch> hs = List.of();
    if (m != null) {
      if (m.method() != null) {
        exact = m.method().startsWith("/") ? m.method() : "/" + m.method();
      }
      if (m.service() != null) {
        prefix = "/" + m.service() + "/";
      }
      if (m.prefix() != null) {
        // A service and a prefix together: both must hold; the longer one implies the other or
        // fails.
        prefix = prefix == null || m.prefix().length() > prefix.length() ? m.prefix() : prefix;
      }
      auth = m.authority();
      hs = m.headers() == null ? List.of() : List.copyOf(m.headers());
    }
    this.pathPrefix = prefix;
    this.exactPath = exact;
    this.authority = auth;
    this.headers = hs;
    this.clientSubject = m == null ? null : m.clientSubject();
    this.name = name(m);
    this.guard = RouteGuard.of(config.policy(), name, System::nanoTime);
    this.requestRewriter = new HeaderRewriter(config.requestHeaders());
    this.responseRewriter = new HeaderRewriter(config.responseHeaders());
    // A route built without a policy (tests, xDS) has none: no CORS answers.
    this.cors =
        config.policy() == null || config.policy().cors() == null
            ? null
            : new CorsPolicy(config.policy().cors());
    this.retryBudget =
        config.retry() == null
            ? null
            : new RetryBudget(config.retry().budgetPercent(), System::nanoTime);
    if (m != null && m.service() != null && m.prefix() != null) {
      String service = "/" + m.service() + "/";
      if (!m.prefix().startsWith(service) && !service.startsWith(m.prefix())) {
        throw new IllegalArgumentException(
            "route prefix: " + m.prefix() + " (expected: compatible with service " + service + ")");
      }
    }
  }

  /** The route as messages name it: its method, service or prefix ({@code *} for any). */
  public String name() {
    return name;
  }

  /** What the route checks before a call goes on: access, rate, message size. */
  public RouteGuard guard() {
    return guard;
  }

  /** The route as messages name it: its method, service or prefix. */
  private static String name(RouteMatch m) {
    if (m == null) {
      return "*";
    }
    if (m.method() != null) {
      return m.method();
    }
    if (m.service() != null) {
      return m.service();
    }
    return m.prefix() != null ? m.prefix() : "*";
  }

  boolean matches(
      CharSequence path, CharSequence hostNoPort, Http2Headers request, String subject) {
    if (clientSubject != null && (subject == null || !clientSubject.matcher(subject).matches())) {
      return false;
    }
    if (exactPath != null && !exactPath.contentEquals(path)) {
      return false;
    }
    if (pathPrefix != null && !startsWith(path, pathPrefix)) {
      return false;
    }
    if (authority != null
        && (hostNoPort == null || !AsciiString.contentEqualsIgnoreCase(authority, hostNoPort))) {
      return false;
    }
    for (HeaderMatch h : headers) {
      if (!headerMatches(h, request)) {
        return false;
      }
    }
    return true;
  }

  private static boolean headerMatches(HeaderMatch h, Http2Headers request) {
    for (CharSequence value : request.getAll(h.name())) {
      if (h.exact() != null && !h.exact().contentEquals(value)) {
        continue;
      }
      if (h.prefix() != null && !startsWith(value, h.prefix())) {
        continue;
      }
      if (h.regex() != null && !h.regex().matcher(value).matches()) {
        continue;
      }
      return true;
    }
    return false;
  }

  private static boolean startsWith(CharSequence s, String prefix) {
    if (s.length() < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (s.charAt(i) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** When calls of this route are retried after a gRPC status, or {@code null} for never. */
  public RetryPolicy retry() {
    return config.retry();
  }

  /** The route's retry budget, shared by all loops; {@code null} when it never retries. */
  public RetryBudget retryBudget() {
    return retryBudget;
  }

  /** Which pages of other origins may call, or {@code null} when the route answers no CORS. */
  public CorsPolicy cors() {
    return cors;
  }

  /** The configuration this route was compiled from. */
  public RouteConfig config() {
    return config;
  }

  /** The cluster's name, or {@code null} for a direct reply. */
  public String cluster() {
    return config.cluster();
  }

  /** The fixed answer, or {@code null} when the route goes to a cluster. */
  public DirectReply directReply() {
    return config.directReply();
  }

  /** Caps the call's deadline and applies when the client sent none; {@code null} for no cap. */
  public Duration maxTimeout() {
    return config.maxTimeout();
  }

  /** Applied to the request headers before they go upstream. */
  public HeaderRewriter requestRewriter() {
    return requestRewriter;
  }

  /** Applied to the response headers before they go to the client. */
  public HeaderRewriter responseRewriter() {
    return responseRewriter;
  }

  @Override
  public String toString() {
    return "Route{" + config.match() + " -> " + config.cluster() + "}";
  }
}
