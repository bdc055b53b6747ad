package dev.ferry.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
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

  /** Opens a TCP connection to {@code target} on this loop, {@code handler} in its pipeline. */
  ChannelFuture connect(
      InetSocketAddress target, ConnectSettings settings, ChannelHandler handler) {
    return new Bootstrap()
        .group(loop)
        .channel(channelType)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectTimeoutMillis())
        .handler(handler)
        .connect(target);
  }
}
