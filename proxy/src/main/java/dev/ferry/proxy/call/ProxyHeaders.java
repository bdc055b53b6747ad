package dev.ferry.proxy.call;

import dev.ferry.proxy.http1.HopByHopHeaders;
import dev.ferry.proxy.route.Route;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

/**
 * The header changes every proxied request and response gets: hop-by-hop headers dropped (RFC 9110
 * 7.6.1), {@code te: trailers} kept and ensured for gRPC, {@code x-forwarded-for} appended, the
 * route's response rules applied.
 */
public final class ProxyHeaders {
  static final AsciiString TE = AsciiString.cached("te");
  static final AsciiString TRAILERS = AsciiString.cached("trailers");
  static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  static final AsciiString GRPC_TIMEOUT = AsciiString.cached("grpc-timeout");

  private ProxyHeaders() {}

  /** The IP address of {@code a} as text, or {@code null}. */
  public static String ipOf(java.net.SocketAddress a) {
    return a instanceof java.net.InetSocketAddress
            && ((java.net.InetSocketAddress) a).getAddress() != null
        ? ((java.net.InetSocketAddress) a).getAddress().getHostAddress()
        : null;
  }

  /** Drops hop-by-hop headers, including {@code te} unless it is exactly {@code trailers}. */
  public static void stripHopByHop(Http2Headers headers) {
    HopByHopHeaders.strip(headers);
  }

  /** Prepares request headers for an upstream: strip, ensure {@code te}, append the client. */
  public static void prepareRequest(Http2Headers headers, String clientIp, boolean grpc) {
    stripHopByHop(headers);
    if (grpc) {
      // gRPC servers reject requests without it; an HTTP/1.1 hop or a sloppy client may drop it.
      headers.set(TE, TRAILERS);
    }
    if (clientIp != null) {
      CharSequence prior = headers.get(X_FORWARDED_FOR);
      headers.set(X_FORWARDED_FOR, prior == null ? clientIp : prior + ", " + clientIp);
    }
  }

  /** Prepares a backend's response headers for the client: strip, then the route's rules. */
  static void prepareResponse(Http2Headers headers, Route route) {
    stripHopByHop(headers);
    if (!route.responseRewriter().isEmpty()) {
      route.responseRewriter().apply(headers);
    }
  }

  /** The {@code :status} of {@code headers}, or 0 when there is none. */
  static int httpStatus(Http2Headers headers) {
    CharSequence status = headers.status();
    return status == null ? 0 : GrpcTimeout.parseDigits(status);
  }
}
