package dev.ferry.proxy.http1;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Translates between HTTP/1.1 messages and HTTP/2 header blocks (RFC 9113 8.2.2, 8.3.1): header
 * names lower-cased, connection-specific headers dropped, {@code Host} ↔ {@code :authority}, and
 * the body's framing (length or chunked) chosen for the HTTP/1.1 side.
 */
public final class Http1Translation {
  private static final AsciiString HTTP = AsciiString.cached("http");

  private Http1Translation() {}

  /** An HTTP/1.1 request as HTTP/2 request headers. */
  public static Http2Headers toHttp2Request(HttpRequest req) {
    Http2Headers h = new DefaultHttp2Headers(false, req.headers().size() + 4);
    h.method(AsciiString.of(req.method().asciiName()));
    h.path(req.uri());
    h.scheme(HTTP);
    String host = req.headers().get(HttpHeaderNames.HOST);
    if (host != null) {
      h.authority(host);
    }
    copy(req.headers(), h, true);
    return h;
  }

  /** An HTTP/1.1 response as HTTP/2 response headers. */
  public static Http2Headers toHttp2Response(HttpResponse res) {
    Http2Headers h = new DefaultHttp2Headers(false, res.headers().size() + 1);
    h.status(res.status().codeAsText());
    copy(res.headers(), h, false);
    return h;
  }

  /** HTTP/1.1 trailers as an HTTP/2 header block. */
  public static Http2Headers toHttp2Trailers(HttpHeaders trailers) {
    Http2Headers h = new DefaultHttp2Headers(false, trailers.size());
    copy(trailers, h, false);
    return h;
  }

  private static void copy(HttpHeaders from, Http2Headers to, boolean request) {
    List<String> connectionOptions = from.getAll(HttpHeaderNames.CONNECTION);
    Iterator<Map.Entry<CharSequence, CharSequence>> it = from.iteratorCharSequence();
    while (it.hasNext()) {
      Map.Entry<CharSequence, CharSequence> e = it.next();
      AsciiString name = AsciiString.of(e.getKey()).toLowerCase();
      if (!HopByHopHeaders.isForwarded(name, e.getValue())
          || (request && name.contentEquals(HttpHeaderNames.HOST))
          || namedIn(connectionOptions, name)) {
        continue;
      }
      to.add(name, e.getValue());
    }
  }

  /**
   * Whether {@code name} is one of the options listed in {@code Connection} headers: a sender marks
   * its own hop-by-hop fields that way, and a proxy must not forward them (RFC 9110 7.6.1).
   */
  private static boolean namedIn(List<String> connectionOptions, AsciiString name) {
    for (String value : connectionOptions) {
      for (String option : value.split(",")) {
        if (name.contentEqualsIgnoreCase(option.trim())) {
          return true;
        }
      }
    }
    return false;
  }

  /** HTTP/2 request headers as an HTTP/1.1 request head; the body follows as content. */
  public static HttpRequest toHttp1Request(Http2Headers h, boolean endStream) {
    HttpMethod method = HttpMethod.valueOf(String.valueOf(h.method()));
    CharSequence path = h.path();
    HttpRequest req =
        new DefaultHttpRequest(
            HttpVersion.HTTP_1_1, method, path == null ? "/" : path.toString(), false);
    HttpHeaders out = req.headers();
    if (h.authority() != null) {
      out.set(HttpHeaderNames.HOST, h.authority());
    }
    copyTo(h, out);
    out.remove(HttpHeaderNames.TE);
    frameBody(out, endStream, true, 0);
    return req;
  }

  /** HTTP/2 response headers as an HTTP/1.1 response head; the body follows as content. */
  public static HttpResponse toHttp1Response(Http2Headers h, boolean endStream, boolean head) {
    int code = parseStatus(h.status());
    HttpResponse res =
        new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code), false);
    copyTo(h, res.headers());
    if (!head) {
      frameBody(res.headers(), endStream, false, code);
    }
    return res;
  }

  /** HTTP/2 trailers as HTTP/1.1 trailer fields. */
  public static void copyTrailers(Http2Headers h, HttpHeaders out) {
    copyTo(h, out);
  }

  private static void copyTo(Http2Headers h, HttpHeaders out) {
    for (Map.Entry<CharSequence, CharSequence> e : h) {
      CharSequence name = e.getKey();
      if (name.length() > 0 && name.charAt(0) == ':') {
        continue;
      }
      if (HopByHopHeaders.isHopByHop(name)) {
        continue;
      }
      out.add(name, e.getValue());
    }
  }

  /** Chooses the HTTP/1.1 body framing: the given length, none, or chunked. */
  private static void frameBody(HttpHeaders out, boolean endStream, boolean request, int status) {
    if (out.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      return;
    }
    boolean noBody = status == 204 || status == 304 || (status >= 100 && status < 200);
    if (noBody) {
      return;
    }
    if (endStream) {
      if (!request) {
        out.set(HttpHeaderNames.CONTENT_LENGTH, 0);
      }
    } else {
      out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
  }

  private static int parseStatus(CharSequence status) {
    try {
      return status == null ? 502 : Integer.parseInt(status.toString());
    } catch (NumberFormatException e) {
      return 502;
    }
  }
}
