package dev.ferry.proxy.limits;

import dev.ferry.proxy.connectionlog.ConnectionEvent;
import dev.ferry.proxy.connectionlog.ConnectionLog;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts a listener's open client connections and closes those beyond the limit as they arrive, so
 * a flood of connections costs file descriptors up to a bound, not the proxy's memory. One instance
 * per listener, shared by its connections.
 */
@ChannelHandler.Sharable
public final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
  private final int max;
  private final AtomicInteger open = new AtomicInteger();

  public ConnectionLimitHandler(int max) {
    this.max = max;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      // The connection log's rate limit keeps a flood of these to a few lines.
      ConnectionLog.report(
          ctx.channel(),
          ConnectionEvent.CONNECTION_LIMIT,
          "refused: the listener has its maximum of " + max + " connections");
      ctx.close();
      return;
    }
    ctx.channel().closeFuture().addListener(f -> open.decrementAndGet());
    ctx.pipeline().remove(this);
    super.channelActive(ctx);
  }

  /** Connections counted now. */
  public int open() {
    return open.get();
  }
}
