package dev.ferry.bench;

import dev.ferry.proxy.transport.DataWrite;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One DATA frame sent on an open HTTP/2 stream, flushed and taken off the channel, with a listener
 * that hears when it left (as the proxy's pumps do): through {@link DataWrite} and through Netty's
 * own {@code encoder().writeData}, on a client connection on an EmbeddedChannel. The window is
 * given back after each write, so only the write path is measured. Run with {@code -prof gc} for
 * the bytes allocated per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DataWriteBenchmark {
  private static final int STREAM = 3;
  private static final ChannelFutureListener IGNORE = f -> {};

  /**
   * A small gRPC message; the largest that DataWrite copies into its frame's buffer; one DATA frame
   * of a 1 MiB message.
   */
  @Param({"64", "1024", "16384"})
  public int bytes;

  private EmbeddedChannel channel;
  private Http2ConnectionHandler handler;
  private ChannelHandlerContext ctx;
  private Http2Stream stream;
  private ByteBuf payload;

  @Setup
  public void openStream() {
    handler =
        new Http2ConnectionHandlerBuilder()
            .server(false)
            .frameListener(new Http2EventAdapter())
            .build();
    channel = new EmbeddedChannel(handler);
    ctx = channel.pipeline().context(handler);
    handler
        .encoder()
        .writeHeaders(
            ctx,
            STREAM,
            new DefaultHttp2Headers().method("POST").scheme("http").path("/a").authority("x"),
            0,
            false,
            channel.newPromise());
    stream = handler.connection().stream(STREAM);
    payload = ByteBufAllocator.DEFAULT.directBuffer(bytes).writeZero(bytes);
    ConnectionSetupBenchmark.drain(channel);
  }

  @TearDown
  public void close() {
    payload.release();
    channel.finishAndReleaseAll();
  }

  @Benchmark
  public int dataWrite() throws Http2Exception {
    DataWrite.send(handler, ctx, STREAM, payload.retainedDuplicate(), false, IGNORE);
    return flushAndGiveBack();
  }

  @Benchmark
  public int codecWriteData() throws Http2Exception {
    handler
        .encoder()
        .writeData(
            ctx,
            STREAM,
            payload.retainedDuplicate(),
            0,
            false,
            ctx.newPromise().addListener(IGNORE));
    return flushAndGiveBack();
  }

  private int flushAndGiveBack() throws Http2Exception {
    channel.flush();
    int n = ConnectionSetupBenchmark.drain(channel);
    handler.encoder().flowController().incrementWindowSize(stream, bytes);
    handler
        .encoder()
        .flowController()
        .incrementWindowSize(handler.connection().connectionStream(), bytes);
    return n;
  }
}
