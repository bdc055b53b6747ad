package dev.ferry.proxy.call;

import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.status.ProxyStatus;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

/**
 * The proxy's own answers with a gRPC face: a Trailers-Only response (one HEADERS frame with
 * END_STREAM) carrying {@code grpc-status}, a percent-encoded {@code grpc-message} and the {@value
 * LocalReplyReason#HEADER} marker.
 */
public final class GrpcLocalReply {
  public static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
  public static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");
  public static final AsciiString LOCAL_REPLY = AsciiString.cached(LocalReplyReason.HEADER);
  static final AsciiString APPLICATION_GRPC = AsciiString.cached("application/grpc");
  static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");

  private GrpcLocalReply() {}

  /** A Trailers-Only response: {@code :status 200}, content type, status, message, marker. */
  public static Http2Headers trailersOnly(ProxyStatus status) {
    Http2Headers h = new DefaultHttp2Headers(false, 5);
    h.status(AsciiString.of("200"));
    h.set(CONTENT_TYPE, APPLICATION_GRPC);
    return trailers(h, status);
  }

  /** Trailers that end a call whose response headers were already sent. */
  public static Http2Headers trailers(ProxyStatus status) {
    return trailers(new DefaultHttp2Headers(false, 3), status);
  }

  private static Http2Headers trailers(Http2Headers h, ProxyStatus status) {
    h.setInt(GRPC_STATUS, status.code().value());
    h.set(GRPC_MESSAGE, percentEncode(status.detail()));
    h.set(LOCAL_REPLY, status.reason().wireName());
    return h;
  }

  /**
   * The gRPC spec's encoding of {@code grpc-message}: UTF-8, with every byte outside printable
   * ASCII, and {@code %} itself, written as {@code %XX}.
   */
  public static String percentEncode(String message) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c >= 0x20 && c <= 0x7e && c != '%') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        sb.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  /** Whether a request is gRPC: its content type is {@code application/grpc} or a subtype. */
  public static boolean isGrpc(Http2Headers headers) {
    CharSequence ct = headers.get(CONTENT_TYPE);
    return ct != null && AsciiString.regionMatches(ct, true, 0, APPLICATION_GRPC, 0, 16);
  }
}
