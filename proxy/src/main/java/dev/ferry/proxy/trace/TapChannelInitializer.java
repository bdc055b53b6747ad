package dev.ferry.proxy.trace;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sets up each accepted client connection: TLS if asked, then one relay handler, which opens the
 * upstream side.
 */
final class TapChannelInitializer extends ChannelInitializer<SocketChannel> {
  private final SocketAddress upstream;
  private final Class<? extends Channel> clientType;
  private final TapTls tls;
  private final TraceOptions options;
  private final TraceSink sink;
  private final AtomicLong connectionIds = new AtomicLong();

  TapChannelInitializer(
      SocketAddress upstream,
      Class<? extends Channel> clientType,
      TapTls tls,
      TraceOptions options,
      TraceSink sink) {
    this.upstream = upstream;
    this.clientType = clientType;
    this.tls = tls;
    this.options = options;
    this.sink = sink;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ConnectionTrace trace =
        new ConnectionTrace(
            connectionIds.incrementAndGet(), TraceTap.hostPort(upstream), options, sink);
    if (tls.towardsClients() != null) {
      ch.pipeline().addLast(tls.towardsClients().newHandler(ch.alloc()));
    }
    ch.pipeline().addLast(new TapFrontendHandler(upstream, clientType, tls, trace));
  }
}
