package dev.ferry.proxy.trace;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Shows plain HTTP/1.1 passing through the tap as requests and responses, decoded by Netty's HTTP
 * codecs running on embedded channels (they only ever see copies).
 */
final class Http1Trace {
  private final ConnectionTrace connection;
  private final Map<Direction, EmbeddedChannel> decoders = new EnumMap<>(Direction.class);
  private final Map<Direction, Integer> counts = new EnumMap<>(Direction.class);
  private final Map<Direction, Long> bodyBytes = new EnumMap<>(Direction.class);

  Http1Trace(ConnectionTrace connection) {
    this.connection = connection;
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
