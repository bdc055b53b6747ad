package dev.ferry.proxy.trace;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * What gRPC-Web adds to a gRPC call in the tap: a text body's base64, decoded before it is cut into
 * messages, and the trailer frame (flag 0x80) at the end of the answer's body.
 */
final class GrpcWebTrace {
  private final GrpcCallTracker tracker;

  GrpcWebTrace(GrpcCallTracker tracker) {
    this.tracker = tracker;
  }

  /** A piece of a gRPC-Web text body: base64, decoded before it is cut into messages. */
  void text(GrpcCall call, Direction direction, ByteBuf text) {
    if (call.base64Broken) {
      return;
    }
    ByteBuf bytes;
    try {
      bytes = call.base64.get(direction).decode(text);
    } catch (IllegalArgumentException e) {
      call.base64Broken = true;
      tracker.diagnose(
          direction,
          call.streamId,
          call,
          "the application/grpc-web-text body is not base64 ("
              + e.getMessage()
              + "): the receiver fails the call; the rest of it is not decoded");
      return;
    }
    try {
      call.reassemblers.get(direction).add(bytes, m -> tracker.message(call, direction, m));
    } finally {
      bytes.release();
    }
  }

  /**
   * gRPC-Web's trailer frame: the trailers as HTTP/1.1 header lines (PROTOCOL-WEB.md), shown the
   * way HEADERS frames show theirs, and read for the call's status.
   */
  void trailers(GrpcCall call, GrpcMessageReassembler.Message m) {
    Http2Headers trailers = new DefaultHttp2Headers(false);
    for (String line : new String(m.kept(), StandardCharsets.UTF_8).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        trailers.add(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    HeaderLines lines = HeaderLines.of(trailers);
    tracker.emit(
        TraceEvent.Kind.MESSAGE,
        Direction.SERVER_TO_CLIENT,
        call,
        "TRAILERS",
        call.isFailure(trailers),
        "gRPC-Web trailer frame, " + m.length() + " bytes",
        lines.text(),
        Map.of("trailers", lines.pairs()));
    tracker.readTrailers(call, trailers);
  }
}
