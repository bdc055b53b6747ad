package dev.ferry.proxy.limits;

import dev.ferry.proxy.connectionlog.ConnectionEvent;
import dev.ferry.proxy.connectionlog.ConnectionLog;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Slowloris defence: a new connection must deliver its first complete request headers (after the
 * TLS handshake, the HTTP/2 preface and SETTINGS) within a time limit, or it is closed. Dribbling a
 * byte at a time keeps a read-idle timer happy; this one counts from the connection's start.
 */
public final class HeaderReadTimeoutHandler extends ChannelInboundHandlerAdapter {
  private final long timeoutMillis;
  private ScheduledFuture<?> timer;
  private boolean sawBytes;

  public HeaderReadTimeoutHandler(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  /** The first request's headers are complete: the connection has proved itself. */
  public static void requestSeen(Channel ch) {
    HeaderReadTimeoutHandler h = ch.pipeline().get(HeaderReadTimeoutHandler.class);
    if (h != null) {
      ch.pipeline().remove(h);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    super.channelActive(ctx);
  }

  private void start(ChannelHandlerContext ctx) {
    if (timer == null) {
      timer = ctx.executor().schedule(() -> expired(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    sawBytes = true;
    super.channelRead(ctx, msg);
  }

  private void expired(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      return;
    }
    if (sawBytes) {
      ConnectionLog.report(
          ctx.channel(),
          ConnectionEvent.SLOW_HEADERS,
          "closing: no complete request headers within "
              + timeoutMillis
              + "ms (slow or stalled client)");
    } else {
      // Port scanners and health probes connect and say nothing: routine, not worth a warning.
      ConnectionLog.report(
          ctx.channel(),
          ConnectionEvent.SILENT,
          "closing: nothing received within " + timeoutMillis + "ms");
    }
    ctx.close();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (timer != null) {
      timer.cancel(false);
    }
    super.channelInactive(ctx);
  }
}
