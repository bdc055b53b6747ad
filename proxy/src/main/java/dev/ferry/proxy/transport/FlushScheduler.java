package dev.ferry.proxy.transport;

import io.netty.channel.ChannelHandlerContext;

/**
 * Batches the flushes of one channel into one per event-loop turn: writes caused by the other
 * side's reads are flushed after that whole read batch, not per frame, saving syscalls.
 */
public final class FlushScheduler {
  private final ChannelHandlerContext ctx;
  private final Runnable flush;
  private final Runnable task = this::run;
  private boolean scheduled;

  /**
   * @param flush flushes the channel; an HTTP/2 handler passes its own {@code flush(ctx)} so that
   *     its flow controller writes what it holds
   */
  public FlushScheduler(ChannelHandlerContext ctx, Runnable flush) {
    this.ctx = ctx;
    this.flush = flush;
  }

  /** Flushes soon, once for everything written this turn. */
  public void schedule() {
    if (!scheduled) {
      scheduled = true;
      ctx.executor().execute(task);
    }
  }

  private void run() {
    scheduled = false;
    if (ctx.channel().isActive()) {
      flush.run();
    }
  }
}
