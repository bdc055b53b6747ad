package dev.ferry.proxy.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

/**
 * The connection-specific header fields a proxy never forwards (RFC 9110 7.6.1), which HTTP/2
 * forbids outright (RFC 9113 8.2.2), save {@code te: trailers}: the one list the HTTP/2 path and
 * the HTTP/1.1 translation both use.
 */
public final class HopByHopHeaders {
  private static final AsciiString[] NAMES = {
    HttpHeaderNames.CONNECTION,
    HttpHeaderNames.KEEP_ALIVE,
    HttpHeaderNames.PROXY_CONNECTION,
    HttpHeaderNames.TRANSFER_ENCODING,
    HttpHeaderNames.UPGRADE,
    AsciiString.cached("http2-settings"),
  };

  private HopByHopHeaders() {}

  /** Whether {@code lowerName} (lower-case) names a hop-by-hop header, {@code te} aside. */
  public static boolean isHopByHop(CharSequence lowerName) {
    for (AsciiString name : NAMES) {
      if (name.contentEquals(lowerName)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a header may go on: not hop-by-hop, and a {@code te} only as {@code trailers}. */
  public static boolean isForwarded(CharSequence lowerName, CharSequence value) {
    if (HttpHeaderNames.TE.contentEquals(lowerName)) {
      return AsciiString.contentEqualsIgnoreCase(value, HttpHeaderValues.TRAILERS);
    }
    return !isHopByHop(lowerName);
  }

  /** Drops the hop-by-hop headers, {@code te} too unless it is exactly {@code trailers}. */
  public static void strip(Http2Headers headers) {
    for (AsciiString name : NAMES) {
      headers.remove(name);
    }
    CharSequence te = headers.get(HttpHeaderNames.TE);
    if (te != null && !isForwarded(HttpHeaderNames.TE, te)) {
      headers.remove(HttpHeaderNames.TE);
    }
  }
}
