package dev.ferry.proxy.bridge;

import dev.ferry.proxy.status.CallProtocol;
import dev.ferry.proxy.transport.CallOpener;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.transport.StreamHandler;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

/**
 * Turns a gRPC-Web request (grpc/grpc doc/PROTOCOL-WEB.md) into a gRPC call at the edge: the
 * request's content type becomes gRPC's, {@code te: trailers} is added, a text body is decoded from
 * base64; the call answers through a {@link GrpcWebDownstream}, which turns the gRPC response back.
 */
public final class GrpcWebBridge {
  static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");
  private static final AsciiString CONTENT_LENGTH = AsciiString.cached("content-length");
  private static final AsciiString TE = AsciiString.cached("te");
  private static final AsciiString TRAILERS = AsciiString.cached("trailers");
  private static final String WEB = "application/grpc-web";
  private static final String TEXT = "-text";

  private GrpcWebBridge() {}

  /**
   * Whether a request already known to be {@code application/grpc*} is gRPC-Web. Plain gRPC's
   * content types fail on the first character looked at, so the data path pays one comparison.
   */
  public static boolean asks(Http2Headers request) {
    CharSequence ct = request.get(CONTENT_TYPE);
    return ct != null
        && ct.length() >= WEB.length()
        && ct.charAt(16) == '-'
        && AsciiString.regionMatches(ct, true, 0, WEB, 0, WEB.length());
  }

  /**
   * Opens the gRPC call for gRPC-Web request {@code request} (which {@link #asks}), rewriting the
   * headers in place, and returns what serves the client's stream.
   */
  public static StreamHandler open(
      Downstream down, int streamId, Http2Headers request, boolean endStream, CallOpener calls) {
    String ct = request.get(CONTENT_TYPE).toString();
    boolean text = ct.regionMatches(true, WEB.length(), TEXT, 0, TEXT.length());
    String subtype = ct.substring(WEB.length() + (text ? TEXT.length() : 0));
    request.set(CONTENT_TYPE, "application/grpc" + subtype);
    // A text body's length changes on the way; gRPC needs no length anyway.
    request.remove(CONTENT_LENGTH);
    request.set(TE, TRAILERS);
    String suffix = subtype.isEmpty() ? "+proto" : subtype;
    AsciiString responseType = AsciiString.of(WEB + (text ? TEXT : "") + suffix);
    CallProtocol protocol = text ? CallProtocol.GRPC_WEB_TEXT : CallProtocol.GRPC_WEB;
    if (!text) {
      return calls.open(
          new GrpcWebDownstream(down, responseType, protocol, null), streamId, request, endStream);
    }
    Base64RequestBody body = new Base64RequestBody(down, streamId);
    GrpcWebDownstream web = new GrpcWebDownstream(down, responseType, protocol, body);
    return new Base64RequestHandler(
        calls.open(web, streamId, request, endStream), body, down, streamId);
  }
}
