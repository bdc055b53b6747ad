package dev.ferry.proxy.trace;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of one relayed connection. Backpressure as in Netty's HexDumpProxy: both channels
 * read by hand (AUTO_READ off), and each side reads its next chunk only once the previous one was
 * written to the other side, so a slow reader holds one chunk per direction, not a heap. The
 * upstream channel lives on this channel's event loop, so the trace of both directions is confined
 * to one thread.
 */
final class TapFrontendHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TapFrontendHandler.class);

  private final SocketAddress upstream;
  private final Class<? extends Channel> clientType;
  private final TapTls tls;
  private final ConnectionTrace trace;
  private Channel backend;

  TapFrontendHandler(
      SocketAddress upstream,
      Class<? extends Channel> clientType,
      TapTls tls,
      ConnectionTrace trace) {
    this.upstream = upstream;
    this.clientType = clientType;
    this.tls = tls;
    this.trace = trace;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    Channel frontend = ctx.channel();
    trace.opened(TraceTap.hostPort(frontend.remoteAddress()), TraceTap.hostPort(upstream));
    backend =
        new Bootstrap()
            .group(frontend.eventLoop())
            .channel(clientType)
            .option(ChannelOption.AUTO_READ, false)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    if (tls.towardsUpstream() != null) {
                      // TLS goes only to a TCP upstream: TraceTap refuses it towards a Unix socket.
                      ch.pipeline()
                          .addLast(tls.upstreamHandler(ch.alloc(), (InetSocketAddress) upstream));
                    }
                    ch.pipeline().addLast(new TapBackendHandler(frontend, trace));
                  }
                })
            .connect(upstream)
            .addListener(
                (ChannelFutureListener)
                    f -> {
                      if (f.isSuccess()) {
                        frontend.read();
                      } else {
                        trace.transportFailed("cannot connect to the upstream", f.cause());
                        frontend.close();
                      }
                    })
            .channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    // Take the copy before writing: the write may release buf before it returns.
    ByteBuf copy = buf.retainedDuplicate();
    backend
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
    trace.bytes(ctx, Direction.CLIENT_TO_SERVER, copy);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (backend != null) {
      closeOnFlush(backend);
    }
    trace.closed();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("{} client side failed", ctx.channel(), cause);
    trace.transportFailed("client side", cause);
    closeOnFlush(ctx.channel());
  }

  /** Closes after what is queued has been written, so the peer gets the last bytes. */
  static void closeOnFlush(Channel ch) {
    if (ch.isActive()) {
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
