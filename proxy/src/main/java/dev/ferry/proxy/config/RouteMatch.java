package dev.ferry.proxy.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a route matches; every condition given must hold, and an empty match matches everything.
 *
 * @param service a gRPC service such as {@code helloworld.Greeter} (path starts with {@code
 *     /helloworld.Greeter/}), or {@code null}
 * @param method an exact gRPC method {@code helloworld.Greeter/SayHello}, or {@code null}
 * @param prefix a path prefix such as {@code /api/}, or {@code null}
 * @param authority the {@code :authority} or {@code Host} without port, exact, or {@code null}
 * @param headers conditions on request header values
 * @param clientSubject a regex the whole subject of the client's verified TLS certificate must
 *     match (RFC 2253, {@code CN=billing,O=Example}); a client without one never matches; {@code
 *     null} for no condition
 */
public record RouteMatch(
    String service,
    String method,
    String prefix,
    String authority,
    List<HeaderMatch> headers,
    Pattern clientSubject) {

  /** A match without a condition on the client certificate. */
  public RouteMatch(
      String service, String method, String prefix, String authority, List<HeaderMatch> headers) {
    this(service, method, prefix, authority, headers, null);
  }
}
