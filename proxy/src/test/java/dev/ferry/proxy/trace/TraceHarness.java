package dev.ferry.proxy.trace;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Drives a {@link ConnectionTrace} with frames written by Netty's {@link DefaultHttp2FrameWriter}
 * on an {@link EmbeddedChannel}, one writer (and so one HPACK encoder) per direction, on a clock
 * that moves only when told.
 */
final class TraceHarness {
  final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
  final DefaultHttp2FrameWriter clientWriter = new DefaultHttp2FrameWriter();
  final DefaultHttp2FrameWriter serverWriter = new DefaultHttp2FrameWriter();
  final List<TraceEvent> events = new ArrayList<>();
  final ConnectionTrace trace;
  long nanos;

  TraceHarness() {
    this(TraceOptions.defaults());
  }

  TraceHarness(TraceOptions options) {
    trace =
        new ConnectionTrace(1, "127.0.0.1:50051", options.withNanoClock(() -> nanos), events::add);
  }

  ChannelHandlerContext ctx() {
    return channel.pipeline().firstContext();
  }

  ChannelPromise promise() {
    return channel.newPromise();
  }

  TraceHarness clientPreface() {
    return bytes(Direction.CLIENT_TO_SERVER, Http2CodecUtil.connectionPrefaceBuf());
  }

  /** Writes with the client's writer and feeds what it wrote to the tracer. */
  TraceHarness client(Consumer<Http2FrameWriter> write) {
    write.accept(clientWriter);
    return flush(Direction.CLIENT_TO_SERVER);
  }

  TraceHarness server(Consumer<Http2FrameWriter> write) {
    write.accept(serverWriter);
    return flush(Direction.SERVER_TO_CLIENT);
  }

  TraceHarness bytes(Direction direction, ByteBuf bytes) {
    trace.bytes(ctx(), direction, bytes);
    return this;
  }

  private TraceHarness flush(Direction direction) {
    channel.flushOutbound();
    ByteBuf b;
    while ((b = channel.readOutbound()) != null) {
      trace.bytes(ctx(), direction, b);
    }
    return this;
  }

  TraceHarness advanceMillis(long ms) {
    nanos += ms * 1_000_000;
    return this;
  }

  /** Every event as printed without colour, split into lines. */
  List<String> lines() {
    TraceFormatter f = TraceFormatter.text(false);
    List<String> lines = new ArrayList<>();
    for (TraceEvent e : events) {
      lines.addAll(Arrays.asList(f.format(e).split("\n")));
    }
    return lines;
  }

  /** Closes the connection's trace and checks that nothing was left over. */
  void finish() {
    trace.closed();
    if (channel.finish()) {
      throw new AssertionError("left over in the channel");
    }
  }
}
