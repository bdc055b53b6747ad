package dev.ferry.proxy.limits;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts a listener's open client connections and closes those beyond the limit as they arrive, so
 * a flood of connections costs file descriptors up to a bound, not the proxy's memory. One instance
 * per listener, shared by its connections.
 */
@ChannelHandler.Sharable
public final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionLimitHandler.class);
  private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

  public ConnectionLimitHandler(int max) {
    this.max = max;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      long now = System.nanoTime();
      long last = lastLog.get();
      // Under a flood one line per ten seconds says it all.
      if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
        log.warn("{} refused: the listener has its maximum of {} connections", ctx.channel(), max);
      }
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
