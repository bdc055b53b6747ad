package dev.ferry.proxy.limits;

import dev.ferry.proxy.config.ListenerLimits;
import dev.ferry.proxy.connectionlog.ConnectionEvent;
import dev.ferry.proxy.connectionlog.ConnectionLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.function.LongSupplier;

/**
 * Counts the frames of one client connection that cost the proxy work but carry no request: PING,
 * SETTINGS and empty DATA. Past the listener's limits within a window it ends the connection with
 * GOAWAY ENHANCE_YOUR_CALM naming the flood, and one log line. It also tells the header-read timer
 * when the first request arrived. (Rapid reset and CONTINUATION floods are caught by Netty's own
 * checks, configured from the same limits.)
 */
public final class Http2FloodGuard extends Http2FrameListenerDecorator {
  private final ListenerLimits limits;
  private final LongSupplier nanoClock;
  private final long windowNanos;
  private long windowStart;
  private int control;
  private int empty;
  private boolean requestSeen;

  public Http2FloodGuard(Http2FrameListener next, ListenerLimits limits, LongSupplier nanoClock) {
    super(next);
    this.limits = limits;
    this.nanoClock = nanoClock;
    this.windowNanos = ListenerLimits.FLOOD_WINDOW.toNanos();
    this.windowStart = nanoClock.getAsLong();
  }

  private void roll() {
    long now = nanoClock.getAsLong();
    if (now - windowStart >= windowNanos) {
      windowStart = now;
      control = 0;
      empty = 0;
    }
  }

  private void controlFrame(ChannelHandlerContext ctx, String kind) throws Http2Exception {
    roll();
    if (++control > limits.maxControlFrames()) {
      throw flood(
          ctx, kind + " flood: more than " + limits.maxControlFrames() + " PING/SETTINGS frames");
    }
  }

  private Http2FloodException flood(ChannelHandlerContext ctx, String what) {
    String reason = what + " in " + ListenerLimits.FLOOD_WINDOW.toSeconds() + "s";
    ConnectionLog.report(
        ctx.channel(), ConnectionEvent.ABUSE_LIMIT, "closing abusive connection: " + reason);
    return new Http2FloodException(reason);
  }

  @Override
  public void onPingRead(ChannelHandlerContext ctx, long data) throws Http2Exception {
    controlFrame(ctx, "PING");
    super.onPingRead(ctx, data);
  }

  @Override
  public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings)
      throws Http2Exception {
    controlFrame(ctx, "SETTINGS");
    super.onSettingsRead(ctx, settings);
  }

  @Override
  public int onDataRead(
      ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream)
      throws Http2Exception {
    if (data.readableBytes() == 0 && !endOfStream) {
      roll();
      if (++empty > limits.maxEmptyFrames()) {
        throw flood(ctx, "empty DATA flood: more than " + limits.maxEmptyFrames() + " frames");
      }
    }
    return super.onDataRead(ctx, streamId, data, padding, endOfStream);
  }

  @Override
  public void onHeadersRead(
      ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean end)
      throws Http2Exception {
    firstRequest(ctx);
    super.onHeadersRead(ctx, streamId, headers, padding, end);
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
      boolean endOfStream)
      throws Http2Exception {
    firstRequest(ctx);
    super.onHeadersRead(
        ctx, streamId, headers, streamDependency, weight, exclusive, padding, endOfStream);
  }

  private void firstRequest(ChannelHandlerContext ctx) {
    if (!requestSeen) {
      requestSeen = true;
      HeaderReadTimeoutHandler.requestSeen(ctx.channel());
    }
  }
}
