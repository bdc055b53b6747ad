package dev.ferry.proxy.limits;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Sits behind the HTTP/1.1 decoder until the first request's headers are decoded, stops the
 * header-read timer, and steps aside.
 */
public final class FirstRequestWatcher extends ChannelInboundHandlerAdapter {
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest) {
      HeaderReadTimeoutHandler.requestSeen(ctx.channel());
      ctx.pipeline().remove(this);
    }
    super.channelRead(ctx, msg);
  }
}
