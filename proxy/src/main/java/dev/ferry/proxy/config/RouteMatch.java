package dev.ferry.proxy.config;

import java.util.List;

/**
 * What a route matches; every condition given must hold, and an empty match matches everything.
 *
 * @param service a gRPC service such as {@code helloworld.Greeter} (path starts with {@code
 *     /helloworld.Greeter/}), or {@code null}
 * @param method an exact gRPC method {@code helloworld.Greeter/SayHello}, or {@code null}
 * @param prefix a path prefix such as {@code /api/}, or {@code null}
 * @param authority the {@code :authority} or {@code Host} without port, exact, or {@code null}
 * @param headers conditions on request header values
 */
public record RouteMatch(
    String service, String method, String prefix, String authority, List<HeaderMatch> headers) {}
