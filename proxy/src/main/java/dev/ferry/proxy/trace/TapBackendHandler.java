package dev.ferry.proxy.trace;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The upstream side of one relayed connection: relays the server's bytes back to the client. */
final class TapBackendHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TapBackendHandler.class);

  private final Channel frontend;
  private final ConnectionTrace trace;

  TapBackendHandler(Channel frontend, ConnectionTrace trace) {
    this.frontend = frontend;
    this.trace = trace;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    ByteBuf copy = buf.retainedDuplicate();
    frontend
        .writeAndFlush(buf)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (f.isSuccess()) {
                    ctx.channel().read();
                  } else {
                    f.channel().close();
                  }
                });
    trace.bytes(ctx, Direction.SERVER_TO_CLIENT, copy);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    TapFrontendHandler.closeOnFlush(frontend);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("{} upstream side failed", ctx.channel(), cause);
    trace.transportFailed("upstream side", cause);
    TapFrontendHandler.closeOnFlush(ctx.channel());
  }
}
