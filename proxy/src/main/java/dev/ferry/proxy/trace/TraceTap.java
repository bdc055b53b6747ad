package dev.ferry.proxy.trace;

import dev.ferry.proxy.output.AddressText;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The running tap: accepts clients on one address, relays each connection unchanged to the
 * upstream, and reports what the bytes carry to a {@link TraceSink}. Start with {@link #start},
 * stop with {@link #close}.
 */
public final class TraceTap implements AutoCloseable {
  private final EventLoopGroup group;
  private final Channel serverChannel;

  private TraceTap(EventLoopGroup group, Channel serverChannel) {
    this.group = group;
    this.serverChannel = serverChannel;
  }

  /**
   * Binds {@code listen} and starts relaying to {@code upstream}.
   *
   * @throws IOException naming the address when it cannot be bound
   */
  public static TraceTap start(
      InetSocketAddress listen, SocketAddress upstream, TraceOptions options, TraceSink sink)
      throws IOException {
    return start(listen, upstream, TapTls.none(), options, sink);
  }

  /**
   * As {@link #start(InetSocketAddress, SocketAddress, TraceOptions, TraceSink)}, with TLS; the
   * upstream is a TCP address or, where epoll is, a Unix domain socket (plaintext only).
   */
  public static TraceTap start(
      InetSocketAddress listen,
      SocketAddress upstream,
      TapTls tls,
      TraceOptions options,
      TraceSink sink)
      throws IOException {
    // epoll where the platform has it, NIO elsewhere, as the proxy does.
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(io);
    Class<? extends ServerChannel> serverType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    Class<? extends Channel> clientType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    if (upstream instanceof DomainSocketAddress) {
      if (!epoll) {
        throw new IOException(
            "cannot relay to " + hostPort(upstream) + ": Unix sockets need epoll (Linux)");
      }
      if (tls.towardsUpstream() != null) {
        throw new IOException(
            "cannot relay to " + hostPort(upstream) + " with TLS: plaintext only");
      }
      // The upstream channel lives on the client's event loop, an epoll one: it can be a socket's.
      clientType = EpollDomainSocketChannel.class;
    }
    try {
      Channel server =
          new ServerBootstrap()
              .group(group)
              .channel(serverType)
              .childOption(ChannelOption.AUTO_READ, false)
              .childHandler(new TapChannelInitializer(upstream, clientType, tls, options, sink))
              .bind(listen)
              .sync()
              .channel();
      return new TraceTap(group, server);
    } catch (Exception e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new IOException("cannot listen on " + hostPort(listen) + ": " + e.getMessage(), e);
    }
  }

  /** The address actually bound (port 0 resolved). */
  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Stops accepting, closes every relayed connection, and waits for the event loops to end. */
  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** {@code host:port}, {@code [v6]:port}, or {@code unix:/path} for a Unix domain socket. */
  public static String hostPort(SocketAddress address) {
    String text = AddressText.of(address);
    return text != null ? text : String.valueOf(address);
  }
}
