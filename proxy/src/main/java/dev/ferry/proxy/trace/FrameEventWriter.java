package dev.ferry.proxy.trace;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the frames of one direction into {@link TraceEvent}s, one per frame, and hands what gRPC
 * cares about to the {@link GrpcCallTracker}.
 */
final class FrameEventWriter implements Http2FrameListener {
  private final ConnectionTrace connection;
  private final Direction direction;
  private final GrpcCallTracker calls;

  FrameEventWriter(ConnectionTrace connection, Direction direction, GrpcCallTracker calls) {
    this.connection = connection;
    this.direction = direction;
    this.calls = calls;
  }

  private FrameInfo frame() {
    return connection.parser(direction).current();
  }

  private void emitFrame(
      int streamId, boolean error, String rest, List<String> details, Map<String, Object> fields) {
    FrameInfo f = frame();
    String type = Http2Names.frameType(f.type());
    String flags = Http2Names.flags(f.type(), f.flags());
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("flags", flags);
    all.put("length", f.length());
    all.putAll(fields);
    connection.emit(
        TraceEvent.Kind.FRAME,
        direction,
        streamId,
        type,
        calls.pathOf(streamId),
        error,
        rest.isEmpty() ? flags : flags + " " + rest,
        details,
        all);
  }

  @Override
  public int onDataRead(
      ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
    int length = data.readableBytes();
    String rest = length + " bytes" + (padding > 0 ? ", padding " + padding : "");
    emitFrame(streamId, false, rest, List.of(), Map.of("data", length, "padding", padding));
    calls.data(direction, streamId, data, endOfStream);
    return length + padding;
  }

  @Override
  public void onHeadersRead(
      ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean end) {
    onHeadersRead(ctx, streamId, headers, 0, (short) 16, false, padding, end);
  }

  @Override
  public void onHeadersRead(
      ChannelHandlerContext ctx,
      int streamId,
      Http2Headers headers,
      int streamDependency,
      short weight,
      boolean exclusive,
      int padding,
      boolean endOfStream) {
    FrameInfo f = frame();
    GrpcCall call = calls.headersArriving(direction, streamId, headers);
    StringBuilder rest = new StringBuilder();
    rest.append(headers.size())
        .append(" headers, ")
        .append(f.headerBlockBytes())
        .append("-byte block");
    if (f.foldedContinuations() > 0) {
      rest.append(" in ")
          .append(f.foldedContinuations() + 1)
          .append(" frames (")
          .append(f.foldedContinuations())
          .append(" CONTINUATION folded)");
    }
    if (padding > 0) {
      rest.append(", padding ").append(padding);
    }
    if (new Http2Flags((short) f.flags()).priorityPresent()) {
      rest.append(", ").append(priority(streamDependency, weight, exclusive));
    }
    HeaderLines lines = HeaderLines.of(headers);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("headers", lines.pairs());
    fields.put("continuations", f.foldedContinuations());
    emitFrame(
        streamId, call != null && call.isFailure(headers), rest.toString(), lines.text(), fields);
    calls.headers(direction, streamId, headers, endOfStream, f.headerBlockBytes());
  }

  private static String priority(int dependency, short weight, boolean exclusive) {
    return "depends on " + dependency + ", weight " + weight + (exclusive ? ", exclusive" : "");
  }

  @Override
  public void onPriorityRead(
      ChannelHandlerContext ctx, int streamId, int streamDependency, short weight, boolean excl) {
    emitFrame(
        streamId,
        false,
        priority(streamDependency, weight, excl),
        List.of(),
        Map.of("dependency", streamDependency, "weight", (int) weight, "exclusive", excl));
  }

  @Override
  public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
    String name = Http2Names.errorCode(errorCode);
    emitFrame(
        streamId,
        errorCode != 0,
        name + String.format(" (0x%x)", errorCode),
        List.of(Http2Names.errorMeaning(errorCode, false)),
        Map.of("error_code", name));
    calls.reset(direction, streamId, errorCode);
  }

  @Override
  public void onSettingsAckRead(ChannelHandlerContext ctx) {
    emitFrame(0, false, "", List.of(), Map.of());
  }

  @Override
  public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
    List<String> parts = new ArrayList<>();
    Map<String, Object> named = new LinkedHashMap<>();
    for (long[] s : frame().settings()) {
      String name = Http2Names.setting((int) s[0]);
      parts.add(name + "=" + s[1]);
      named.put(name, s[1]);
    }
    emitFrame(0, false, String.join(" ", parts), List.of(), Map.of("settings", named));
    // These settings bind the other direction: what this side is willing to receive.
    Http2DirectionParser receiving = connection.parser(direction.opposite());
    if (settings.maxFrameSize() != null) {
      receiving.maxFrameSize(settings.maxFrameSize());
    }
    if (settings.headerTableSize() != null) {
      receiving.maxHeaderTableSize(settings.headerTableSize());
    }
    calls.settings(direction, settings);
  }

  @Override
  public void onPingRead(ChannelHandlerContext ctx, long data) {
    emitFrame(0, false, String.format("0x%016x", data), List.of(), Map.of("data", data));
  }

  @Override
  public void onPingAckRead(ChannelHandlerContext ctx, long data) {
    onPingRead(ctx, data);
  }

  @Override
  public void onPushPromiseRead(
      ChannelHandlerContext ctx,
      int streamId,
      int promisedStreamId,
      Http2Headers headers,
      int pad) {
    HeaderLines lines = HeaderLines.of(headers);
    emitFrame(
        streamId,
        false,
        "promised stream " + promisedStreamId + ", " + headers.size() + " headers",
        lines.text(),
        Map.of("promised_stream", promisedStreamId, "headers", lines.pairs()));
  }

  @Override
  public void onGoAwayRead(
      ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
    String name = Http2Names.errorCode(errorCode);
    String debug = debugData.toString(StandardCharsets.UTF_8);
    List<String> details = new ArrayList<>();
    details.add(Http2Names.errorMeaning(errorCode, true));
    details.add(
        "streams above "
            + lastStreamId
            + " never reached the server's application: safe to retry on a new connection");
    if (!debug.isEmpty()) {
      details.add("debug data: " + HeaderLines.printable(debug));
    }
    emitFrame(
        0,
        errorCode != 0,
        "last stream " + lastStreamId + ", " + name + String.format(" (0x%x)", errorCode),
        details,
        Map.of("last_stream", lastStreamId, "error_code", name, "debug", debug));
    calls.goAway(direction, lastStreamId, errorCode);
  }

  @Override
  public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int increment) {
    emitFrame(streamId, false, "increment " + increment, List.of(), Map.of("increment", increment));
  }

  @Override
  public void onUnknownFrame(
      ChannelHandlerContext ctx, byte frameType, int streamId, Http2Flags flags, ByteBuf payload) {
    String hex = ProtoWireDecoder.hex(ByteBufUtil.getBytes(payload), 64);
    emitFrame(
        streamId,
        false,
        payload.readableBytes()
            + " bytes (a frame type RFC 9113 does not define; ignored by peers)",
        payload.readableBytes() == 0 ? List.of() : List.of("hex: " + hex),
        Map.of("hex", hex));
  }
}
