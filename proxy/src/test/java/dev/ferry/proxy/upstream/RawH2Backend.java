package dev.ferry.proxy.upstream;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2 backend that writes frames by hand and reads nothing: it announces its SETTINGS (or
 * stays silent) and sends GOAWAY when a test says, so the pool's reactions are the only thing under
 * test. Streams it is sent stay open for as long as the test wants.
 */
final class RawH2Backend implements AutoCloseable {
  private static final int SETTINGS = 0x4;
  private static final int GOAWAY = 0x7;
  private static final int MAX_CONCURRENT_STREAMS = 0x3;

  private final Channel server;
  // Filled by the server's loop as connections arrive, in order.
  private final BlockingQueue<Channel> accepted;

  private RawH2Backend(Channel server, BlockingQueue<Channel> accepted) {
    this.server = server;
    this.accepted = accepted;
  }

  /**
   * @param maxConcurrentStreams announced in the first SETTINGS; -1 to send no SETTINGS at all
   */
  static RawH2Backend start(EventLoopGroup group, int maxConcurrentStreams)
      throws InterruptedException {
    BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
    Channel server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public boolean isSharable() {
                    return true;
                  }

                  @Override
                  public void channelActive(ChannelHandlerContext ctx) {
                    if (maxConcurrentStreams >= 0) {
                      ByteBuf f = frame(ctx, SETTINGS, 6);
                      f.writeShort(MAX_CONCURRENT_STREAMS).writeInt(maxConcurrentStreams);
                      ctx.writeAndFlush(f);
                    }
                    accepted.add(ctx.channel());
                  }

                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    return new RawH2Backend(server, accepted);
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** The next connection accepted; fails the test after 10 s. */
  Channel nextAccepted() throws InterruptedException {
    Channel c = accepted.poll(10, TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("no connection reached the backend");
    }
    return c;
  }

  /** Sends GOAWAY naming {@code lastStreamId}: streams above it were never processed. */
  static void goAway(Channel connection, int lastStreamId) {
    connection
        .eventLoop()
        .execute(
            () -> {
              ByteBuf f = frame(connection, GOAWAY, 8);
              f.writeInt(lastStreamId).writeInt(0);
              connection.writeAndFlush(f);
            });
  }

  private static ByteBuf frame(ChannelHandlerContext ctx, int type, int length) {
    return frame(ctx.channel(), type, length);
  }

  private static ByteBuf frame(Channel ch, int type, int length) {
    ByteBuf f = ch.alloc().buffer(9 + length);
    f.writeMedium(length).writeByte(type).writeByte(0).writeInt(0);
    return f;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
  }
}
