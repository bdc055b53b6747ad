package dev.ferry.proxy.listener;

import dev.ferry.proxy.call.Worker;
import dev.ferry.proxy.route.RouteTable;
import io.netty.channel.ChannelHandlerContext;

/** HTTP/1.1 on the listener: not served yet, so the connection is closed. */
final class Http1Support {
  private Http1Support() {}

  static void install(ChannelHandlerContext ctx, Worker worker, RouteTable routes) {
    ctx.close();
  }
}
