package dev.ferry.proxy.upstream;

import dev.ferry.proxy.transport.SocketReads;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.SocketAddress;
import java.util.Random;

/**
 * What every upstream pool of one event loop shares: the loop, the socket type its connections use,
 * and the loop's random source for balancing; it opens the loop's upstream connections. One per
 * loop, made once, so none of this travels through the clusters' constructors.
 */
public final class UpstreamConnector {
  private final EventLoop loop;
  private final Class<? extends Channel> channelType;
  // Used only on the loop, so one unsynchronized Random serves every balancer there.
  private final Random random = new Random();

  /**
   * @param channelType the socket type matching the loop's transport (epoll or NIO)
   */
  public UpstreamConnector(EventLoop loop, Class<? extends Channel> channelType) {
    this.loop = loop;
    this.channelType = channelType;
  }

  /** The loop's random source; use it only on the loop. */
  Random random() {
    return random;
  }

  /**
   * Opens a connection to {@code target} on this loop, {@code handler} in its pipeline: TCP, or a
   * Unix domain socket for a {@link DomainSocketAddress} (the proxy refuses those at start unless
   * its loops are epoll's).
   */
  ChannelFuture connect(SocketAddress target, ConnectSettings settings, ChannelHandler handler) {
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectTimeoutMillis())
            .option(ChannelOption.RCVBUF_ALLOCATOR, SocketReads.ALLOCATOR)
            .handler(handler);
    if (target instanceof DomainSocketAddress) {
      b.channel(EpollDomainSocketChannel.class);
    } else {
      // Only for TCP: a domain socket has no Nagle to turn off, and Netty warns of the option.
      b.channel(channelType).option(ChannelOption.TCP_NODELAY, true);
    }
    return b.connect(target);
  }
}
