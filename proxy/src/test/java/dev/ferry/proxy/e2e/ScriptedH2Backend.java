package dev.ferry.proxy.e2e;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/2 backend that misbehaves on purpose: it resets every stream with a chosen error code
 * once the whole request has arrived. grpc-java backends cannot be made to do that.
 */
final class ScriptedH2Backend implements AutoCloseable {
  final AtomicInteger resets = new AtomicInteger();
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;

  ScriptedH2Backend(Http2Error resetWith) throws InterruptedException {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    Http2ConnectionHandler[] handler = new Http2ConnectionHandler[1];
                    handler[0] =
                        new Http2ConnectionHandlerBuilder()
                            .server(true)
                            .frameListener(
                                new Http2EventAdapter() {
                                  @Override
                                  public void onHeadersRead(
                                      ChannelHandlerContext ctx,
                                      int streamId,
                                      Http2Headers headers,
                                      int padding,
                                      boolean endStream) {
                                    if (endStream) {
                                      reset(ctx, streamId);
                                    }
                                  }

                                  @Override
                                  public void onHeadersRead(
                                      ChannelHandlerContext ctx,
                                      int streamId,
                                      Http2Headers headers,
                                      int dependency,
                                      short weight,
                                      boolean exclusive,
                                      int padding,
                                      boolean endStream) {
                                    onHeadersRead(ctx, streamId, headers, padding, endStream);
                                  }

                                  @Override
                                  public int onDataRead(
                                      ChannelHandlerContext ctx,
                                      int streamId,
                                      ByteBuf data,
                                      int padding,
                                      boolean endStream) {
                                    if (endStream) {
                                      reset(ctx, streamId);
                                    }
                                    return data.readableBytes() + padding;
                                  }

                                  private void reset(ChannelHandlerContext ctx, int streamId) {
                                    resets.incrementAndGet();
                                    handler[0]
                                        .encoder()
                                        .writeRstStream(
                                            ctx, streamId, resetWith.code(), ctx.newPromise());
                                    ctx.flush();
                                  }
                                })
                            .build();
                    ch.pipeline().addLast(handler[0]);
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
