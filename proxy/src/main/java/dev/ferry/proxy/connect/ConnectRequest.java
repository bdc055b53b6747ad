package dev.ferry.proxy.connect;

import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.status.ProxyStatus;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

/**
 * What a Connect request asks for, read from its headers (or a GET's query): the codec, unary or
 * streaming, the procedure, and for a GET the message itself; or why the bridge refuses it. {@link
 * #toGrpc} then makes the headers those of the gRPC call.
 *
 * @param codec JSON or binary
 * @param streaming the body is enveloped ({@code application/connect+*})
 * @param get the message came in a GET's query ({@code message}); else null
 * @param service the procedure's service, {@code helloworld.Greeter}; null if the path names none
 * @param method the procedure's method, {@code SayHello}
 * @param timeoutMillis {@code connect-timeout-ms}, or -1 for none
 * @param refusal why the bridge answers with an error itself, or null
 */
record ConnectRequest(
    ConnectCodec codec,
    boolean streaming,
    byte[] get,
    String service,
    String method,
    long timeoutMillis,
    ProxyStatus refusal) {
  static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");
  private static final AsciiString GET = AsciiString.cached("GET");
  private static final String APPLICATION = "application/";
  private static final String CONNECT_PLUS = "connect+";
  private static final String[] REMOVED = {
    "content-length",
    "content-encoding",
    "accept-encoding",
    "connect-protocol-version",
    "connect-timeout-ms",
    "connect-content-encoding",
    "connect-accept-encoding",
    "grpc-accept-encoding",
    "grpc-encoding"
  };

  /** Whether {@code h} is a Connect request: by content type, or a GET with Connect's query. */
  static boolean looksLike(Http2Headers h) {
    CharSequence ct = h.get(CONTENT_TYPE);
    if (ct == null) {
      return GET.contentEquals(h.method()) && ConnectGetQuery.isConnect(h.path());
    }
    if (ct.length() < 16 || !AsciiString.regionMatches(ct, true, 0, APPLICATION, 0, 12)) {
      return false;
    }
    return codecOf(ct) != null;
  }

  /** The codec of a Connect content type, or null when it is none. */
  private static ConnectCodec codecOf(CharSequence contentType) {
    String ct = contentType.toString();
    int semi = ct.indexOf(';');
    String sub = (semi < 0 ? ct : ct.substring(0, semi)).trim().substring(APPLICATION.length());
    if (sub.regionMatches(true, 0, CONNECT_PLUS, 0, CONNECT_PLUS.length())) {
      sub = sub.substring(CONNECT_PLUS.length());
    }
    return ConnectCodec.named(sub);
  }

  /** Reads {@code h}, a request that {@link #looksLike} Connect. */
  static ConnectRequest read(Http2Headers h) {
    CharSequence ct = h.get(CONTENT_TYPE);
    String path = h.path() == null ? "" : h.path().toString();
    ConnectCodec codec;
    boolean streaming;
    byte[] get = null;
    ProxyStatus refusal = null;
    if (ct == null) {
      ConnectGetQuery q = ConnectGetQuery.parse(path);
      codec = q.codec() == null ? ConnectCodec.PROTO : q.codec();
      streaming = false;
      get = q.message() == null ? new byte[0] : q.message();
      refusal = q.refusal();
      path = path.substring(0, path.indexOf('?'));
    } else {
      codec = codecOf(ct);
      streaming = ct.toString().regionMatches(true, 12, CONNECT_PLUS, 0, CONNECT_PLUS.length());
      CharSequence enc = h.get(streaming ? "connect-content-encoding" : "content-encoding");
      if (enc != null && !AsciiString.contentEqualsIgnoreCase(enc, "identity")) {
        refusal = compressed(enc);
      }
    }
    CharSequence version = h.get("connect-protocol-version");
    if (refusal == null && version != null && !"1".contentEquals(version)) {
      refusal =
          invalid(
              "connect-protocol-version: " + version + " (expected: 1)", GrpcCode.INVALID_ARGUMENT);
    }
    long timeout = -1;
    CharSequence t = h.get("connect-timeout-ms");
    if (t != null) {
      timeout = timeoutMillis(t);
      if (timeout < 0 && refusal == null) {
        refusal =
            invalid(
                "connect-timeout-ms: " + t + " (expected: 1 to 10 digits of milliseconds)",
                GrpcCode.INVALID_ARGUMENT);
      }
    }
    int slash = path.indexOf('/', 1);
    String service = slash > 1 ? path.substring(1, slash) : null;
    String method = slash > 1 ? path.substring(slash + 1) : null;
    return new ConnectRequest(codec, streaming, get, service, method, timeout, refusal);
  }

  /** Makes {@code h} the headers of the gRPC call this request becomes. */
  void toGrpc(Http2Headers h) {
    if (get != null) {
      h.method("POST");
      CharSequence path = h.path();
      int q = AsciiString.indexOf(path, '?', 0);
      h.path(path.subSequence(0, q));
    }
    for (String name : REMOVED) {
      h.remove(name);
    }
    h.set(CONTENT_TYPE, "application/grpc");
    h.set("te", "trailers");
    if (timeoutMillis >= 0) {
      // grpc-timeout has at most 8 digits; connect-timeout-ms up to 10.
      h.set(
          "grpc-timeout",
          timeoutMillis < 100_000_000 ? timeoutMillis + "m" : timeoutMillis / 1000 + "S");
    }
  }

  private static long timeoutMillis(CharSequence t) {
    if (t.length() == 0 || t.length() > 10) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  private static ProxyStatus compressed(CharSequence encoding) {
    return invalid(
        "the request is compressed ("
            + encoding
            + "); ferry's Connect bridge takes uncompressed requests only",
        GrpcCode.UNIMPLEMENTED);
  }

  static ProxyStatus invalid(String what, GrpcCode code) {
    return ProxyStatus.of(
        code, code.httpStatus(), LocalReplyReason.BAD_REQUEST, "ferry: Connect request: " + what);
  }
}
