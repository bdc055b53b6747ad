package dev.ferry.proxy.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ferry.proxy.config.ListenerLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Http2FloodGuardTest {
  /** 3 PING/SETTINGS and 2 empty DATA frames per window. */
  private static final ListenerLimits LIMITS =
      new ListenerLimits(10, 10, 8192, Duration.ofSeconds(10), 10, 3, 2);

  private final AtomicLong nanos = new AtomicLong(1_000);
  private final Counting next = new Counting();
  private final EmbeddedChannel ch =
      new EmbeddedChannel(new HeaderReadTimeoutHandler(60_000), new ChannelInboundHandlerAdapter());
  private final ChannelHandlerContext ctx = ch.pipeline().lastContext();
  private final Http2FloodGuard guard = new Http2FloodGuard(next, LIMITS, nanos::get);

  @AfterEach
  void nothingLeftOver() {
    assertFalse(ch.finish());
  }

  @Test
  void controlFramesUpToTheLimit_passOn() throws Exception {
    guard.onPingRead(ctx, 1);
    guard.onSettingsRead(ctx, new Http2Settings());
    guard.onPingRead(ctx, 2);

    assertThat(next.pings).isEqualTo(2);
    assertThat(next.settings).isEqualTo(1);
  }

  @Test
  void oneControlFrameTooMany_endsTheConnectionWithEnhanceYourCalm_namingTheFlood()
      throws Exception {
    for (int i = 0; i < 3; i++) {
      guard.onPingRead(ctx, i);
    }

    Http2Exception e = catchThrowableOfType(Http2Exception.class, () -> guard.onPingRead(ctx, 9));

    assertThat(e.error()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM);
    assertThat(e.shutdownHint()).isEqualTo(Http2Exception.ShutdownHint.HARD_SHUTDOWN);
    assertThat(e).hasMessage("PING flood: more than 3 PING/SETTINGS frames in 10s");
    assertThat(next.pings).isEqualTo(3);
  }

  @Test
  void settingsAndPings_shareOneCount() throws Exception {
    guard.onPingRead(ctx, 1);
    guard.onPingRead(ctx, 2);
    guard.onSettingsRead(ctx, new Http2Settings());

    Http2Exception e =
        catchThrowableOfType(
            Http2Exception.class, () -> guard.onSettingsRead(ctx, new Http2Settings()));

    assertThat(e).hasMessageStartingWith("SETTINGS flood");
  }

  @Test
  void countsStartAgain_whenTheWindowHasPassed() throws Exception {
    for (int i = 0; i < 3; i++) {
      guard.onPingRead(ctx, i);
    }
    nanos.addAndGet(ListenerLimits.FLOOD_WINDOW.toNanos());

    for (int i = 0; i < 3; i++) {
      guard.onPingRead(ctx, i);
    }

    assertThat(next.pings).isEqualTo(6);
  }

  @Test
  void emptyDataBeyondTheLimit_isAFlood_butDataWithBytesOrEndOfStreamIsNot() throws Exception {
    ByteBuf bytes = Unpooled.wrappedBuffer(new byte[] {1, 2});
    try {
      for (int i = 0; i < 5; i++) {
        guard.onDataRead(ctx, 1, bytes, 0, false);
        guard.onDataRead(ctx, 3, Unpooled.EMPTY_BUFFER, 0, true);
      }
    } finally {
      bytes.release();
    }
    guard.onDataRead(ctx, 1, Unpooled.EMPTY_BUFFER, 0, false);
    guard.onDataRead(ctx, 1, Unpooled.EMPTY_BUFFER, 0, false);

    Http2Exception e =
        catchThrowableOfType(
            Http2Exception.class, () -> guard.onDataRead(ctx, 1, Unpooled.EMPTY_BUFFER, 0, false));

    assertThat(e.error()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM);
    assertThat(e).hasMessage("empty DATA flood: more than 2 frames in 10s");
    assertThat(next.data).isEqualTo(12);
  }

  @Test
  void firstHeaders_stopTheHeaderReadTimer_andPassOn() throws Exception {
    guard.onHeadersRead(ctx, 1, new DefaultHttp2Headers(), 0, true);

    assertThat(ch.pipeline().get(HeaderReadTimeoutHandler.class)).isNull();
    assertThat(next.headers).isEqualTo(1);
  }

  @Test
  void firstHeadersWithPriority_stopTheHeaderReadTimer_too() throws Exception {
    guard.onHeadersRead(ctx, 1, new DefaultHttp2Headers(), 0, (short) 16, false, 0, true);

    assertThat(ch.pipeline().get(HeaderReadTimeoutHandler.class)).isNull();
    assertThat(next.headers).isEqualTo(1);
  }

  /** The listener behind the guard: counts what reached it. */
  private static final class Counting extends Http2FrameAdapter {
    int pings;
    int settings;
    int data;
    int headers;

    @Override
    public void onPingRead(ChannelHandlerContext ctx, long data) {
      pings++;
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
      this.settings++;
    }

    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean end) {
      this.data++;
      return data.readableBytes() + padding;
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx, int streamId, Http2Headers h, int padding, boolean end) {
      headers++;
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers h,
        int streamDependency,
        short weight,
        boolean exclusive,
        int padding,
        boolean end) {
      headers++;
    }
  }
}
