package dev.ferry.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.call.Worker;
import dev.ferry.proxy.metrics.ProxyMeters;
import dev.ferry.proxy.route.RouteTable;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Http1DownstreamHandlerTest {
  /**
   * A shutdown's drain can run on the loop after a response was written but before its scheduled
   * flush: the connection is idle by then, and closing it bare would drop the response.
   */
  @Test
  void drainBetweenAResponseAndItsFlush_sendsTheResponseThenCloses() {
    FlushGate gate = new FlushGate();
    EmbeddedChannel ch =
        new EmbeddedChannel(
            gate,
            new HttpResponseEncoder(),
            new Http1DownstreamHandler(
                new Worker(null, Map.of(), AccessLog.OFF, new ProxyMeters()),
                RouteTable.compile(List.of())));
    ch.writeInbound(
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/x"),
        LastHttpContent.EMPTY_LAST_CONTENT);
    assertThat((Object) ch.readOutbound()).as("the response waits for its flush").isNull();

    gate.open = true;
    ch.pipeline().get(Http1DownstreamHandler.class).drain();
    ch.runPendingTasks();

    StringBuilder wire = new StringBuilder();
    for (ByteBuf b; (b = ch.readOutbound()) != null; b.release()) {
      wire.append(b.toString(StandardCharsets.UTF_8));
    }
    // No route matches: ferry's own 404 is the response that must not be lost.
    assertThat(wire.toString()).startsWith("HTTP/1.1 404");
    assertThat(ch.isOpen()).isFalse();
  }

  /**
   * Holds back flushes until opened. EmbeddedChannel runs scheduled tasks on every write, so the
   * real loop's "written, flush still queued" moment has to be made by hand.
   */
  private static final class FlushGate extends ChannelOutboundHandlerAdapter {
    boolean open;

    @Override
    public void flush(ChannelHandlerContext ctx) {
      if (open) {
        ctx.flush();
      }
    }
  }
}
