package dev.ferry.proxy.trace;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shows plain HTTP/1.1 passing through the tap as requests and responses, decoded by Netty's HTTP
 * codecs running on embedded channels (they only ever see copies). A gRPC-Web request (browsers
 * send it over HTTP/1.1) is followed as a call too: its messages, trailer frame and summary, by the
 * same {@link GrpcCallTracker} as HTTP/2 streams, with the request's number for a stream id; so is
 * a Connect request.
 */
final class Http1Trace {
  private final ConnectionTrace connection;
  private final GrpcCallTracker calls;

  /** The numbers of the requests that are gRPC calls; their responses follow in the same order. */
  private final Set<Integer> grpcRequests = new HashSet<>();

  private final Map<Direction, EmbeddedChannel> decoders = new EnumMap<>(Direction.class);
  private final Map<Direction, Integer> counts = new EnumMap<>(Direction.class);
  private final Map<Direction, Long> bodyBytes = new EnumMap<>(Direction.class);

  Http1Trace(ConnectionTrace connection, GrpcCallTracker calls) {
    this.connection = connection;
    this.calls = calls;
    decoders.put(Direction.CLIENT_TO_SERVER, new EmbeddedChannel(new HttpRequestDecoder()));
    decoders.put(Direction.SERVER_TO_CLIENT, new EmbeddedChannel(new HttpResponseDecoder()));
    for (Direction d : Direction.values()) {
      counts.put(d, 0);
      bodyBytes.put(d, 0L);
    }
  }

  /** Whether the bytes start like an HTTP/1.x request line: a method token and a space. */
  static boolean looksLikeRequest(ByteBuf in) {
    int n = Math.min(in.readableBytes(), 8);
    String head = in.toString(in.readerIndex(), n, StandardCharsets.US_ASCII);
    return head.matches("(GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|CONNECT|TRACE) .*");
  }

  /** Decodes everything readable in {@code cumulation}, consuming it. */
  void bytes(Direction direction, ByteBuf cumulation) {
    EmbeddedChannel decoder = decoders.get(direction);
    decoder.writeInbound(cumulation.readRetainedSlice(cumulation.readableBytes()));
    Object o;
    while ((o = decoder.readInbound()) != null) {
      try {
        show(direction, (HttpObject) o);
      } finally {
        ReferenceCountUtil.release(o);
      }
    }
  }

  private void show(Direction direction, HttpObject o) {
    if (o.decoderResult().isFailure()) {
      throw new IllegalStateException(
          "HTTP/1.1 decoding failed: " + o.decoderResult().cause().getMessage());
    }
    if (o instanceof HttpMessage m) {
      int n = counts.merge(direction, 1, Integer::sum);
      bodyBytes.put(direction, 0L);
      String line =
          m instanceof HttpRequest r
              ? r.method() + " " + r.uri() + " " + r.protocolVersion()
              : m.protocolVersion() + " " + ((HttpResponse) m).status();
      boolean error = m instanceof HttpResponse r && r.status().code() >= 400;
      HeaderLines lines = HeaderLines.of(headers(m));
      connection.emit(
          TraceEvent.Kind.HTTP1,
          direction,
          n,
          m instanceof HttpRequest ? "REQUEST" : "RESPONSE",
          m instanceof HttpRequest r ? r.uri() : null,
          error,
          line,
          lines.text(),
          Map.of("line", line, "headers", lines.pairs()));
      followCall(direction, n, m);
    }
    if (o instanceof HttpContent c) {
      bodyBytes.merge(direction, (long) c.content().readableBytes(), Long::sum);
      if (o instanceof LastHttpContent && bodyBytes.get(direction) > 0) {
        connection.emit(
            TraceEvent.Kind.HTTP1,
            direction,
            counts.get(direction),
            "BODY",
            null,
            false,
            bodyBytes.get(direction) + " bytes",
            List.of(),
            Map.of("length", bodyBytes.get(direction)));
      }
    }
    // After the body's line: the call's messages, trailers and summary read as what the body held.
    if (o instanceof HttpContent c && grpcRequests.contains(counts.get(direction))) {
      calls.data(direction, counts.get(direction), c.content(), o instanceof LastHttpContent);
    }
  }

  /** Hands the headers of a gRPC request, and of the response to one, to the call tracker. */
  private void followCall(Direction direction, int n, HttpMessage m) {
    if (m instanceof HttpResponse && !grpcRequests.contains(n)) {
      return;
    }
    Http2Headers h2 = new DefaultHttp2Headers(false);
    if (m instanceof HttpRequest r) {
      h2.method(r.method().name()).path(r.uri());
    } else {
      h2.status(((HttpResponse) m).status().codeAsText());
    }
    HttpConversionUtil.toHttp2Headers(m.headers(), h2);
    if (m instanceof HttpRequest) {
      String type = m.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
      if (!type.startsWith("application/grpc") && ConnectTrace.Form.of(h2) == null) {
        return;
      }
      grpcRequests.add(n);
      calls.headersArriving(direction, n, h2);
    }
    calls.headers(direction, n, h2, false, 0);
  }

  private static List<Map.Entry<CharSequence, CharSequence>> headers(HttpMessage m) {
    List<Map.Entry<CharSequence, CharSequence>> list = new java.util.ArrayList<>();
    m.headers().iteratorCharSequence().forEachRemaining(list::add);
    return list;
  }

  void close() {
    decoders.values().forEach(EmbeddedChannel::finishAndReleaseAll);
  }
}
