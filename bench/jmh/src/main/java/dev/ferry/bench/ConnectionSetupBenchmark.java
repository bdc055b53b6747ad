package dev.ferry.bench;

import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.acl.AccessRules;
import dev.ferry.proxy.call.Worker;
import dev.ferry.proxy.config.ConfigDefaults;
import dev.ferry.proxy.config.ListenerLimits;
import dev.ferry.proxy.listener.ListenerChannelInitializer;
import dev.ferry.proxy.metrics.ProxyMeters;
import dev.ferry.proxy.route.RouteTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one plaintext HTTP/2 client connection costs the listener before and after its calls: the
 * pipeline built by {@link ListenerChannelInitializer} with the default limits and idle timeout,
 * the client's preface and SETTINGS read, the proxy's SETTINGS and window update written, the
 * SETTINGS ack read, then the close. Run with {@code -prof gc} for the bytes allocated per
 * connection, the figure that does not move with the machine's load.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConnectionSetupBenchmark {
  /** The client's SETTINGS frame, empty, and its ack of the proxy's. */
  private static final byte[] SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};

  private static final byte[] SETTINGS_ACK = {0, 0, 0, 4, 1, 0, 0, 0, 0};

  private final Worker worker = new Worker(null, Map.of(), AccessLog.OFF, new ProxyMeters());

  /** Each EmbeddedChannel has a loop of its own: one worker serves whatever loop asks. */
  private final Map<EventLoop, Worker> anyLoop =
      new AbstractMap<>() {
        @Override
        public Worker get(Object loop) {
          return worker;
        }

        @Override
        public Set<Entry<EventLoop, Worker>> entrySet() {
          return Set.of();
        }
      };

  private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  /** Stands for the listening channel, every connection's parent. */
  private final EmbeddedChannel listening = new EmbeddedChannel();

  private final ListenerChannelInitializer initializer =
      new ListenerChannelInitializer(
          anyLoop,
          RouteTable.compile(List.of()),
          ConfigDefaults.IDLE_TIMEOUT,
          clients,
          null,
          AccessRules.ALLOW_ALL,
          ListenerLimits.DEFAULTS,
          null);

  @Benchmark
  public int connectSettleClose() {
    EmbeddedChannel ch =
        new EmbeddedChannel(listening, DefaultChannelId.newInstance(), true, false, initializer);
    ByteBuf hello = Unpooled.buffer();
    hello.writeBytes(Http2CodecUtil.connectionPrefaceBuf());
    hello.writeBytes(SETTINGS);
    ch.writeInbound(hello);
    ch.writeInbound(Unpooled.wrappedBuffer(SETTINGS_ACK));
    int written = drain(ch);
    ch.close();
    return written + drain(ch);
  }

  /** Takes and releases everything {@code ch} wrote; returns the bytes (or count) taken. */
  static int drain(EmbeddedChannel ch) {
    int n = 0;
    for (Object m; (m = ch.readOutbound()) != null; ) {
      n += m instanceof ByteBuf b ? b.readableBytes() : 1;
      ReferenceCountUtil.release(m);
    }
    return n;
  }
}
