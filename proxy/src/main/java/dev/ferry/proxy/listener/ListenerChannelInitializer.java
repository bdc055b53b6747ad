package dev.ferry.proxy.listener;

import dev.ferry.proxy.call.Worker;
import dev.ferry.proxy.route.RouteTable;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one accepted client connection, in protocol order: idle timer, [TLS with ALPN],
 * protocol detection, then HTTP/2 or HTTP/1.1.
 */
public final class ListenerChannelInitializer extends ChannelInitializer<Channel> {
  private final Map<EventLoop, Worker> workers;
  private final RouteTable routes;
  private final Duration idleTimeout;
  private final ChannelGroup clients;

  /**
   * @param workers the per-loop state, by loop; each connection uses its own loop's
   * @param clients every accepted connection joins it, so shutdown can find them
   */
  public ListenerChannelInitializer(
      Map<EventLoop, Worker> workers,
      RouteTable routes,
      Duration idleTimeout,
      ChannelGroup clients) {
    this.workers = workers;
    this.routes = routes;
    this.idleTimeout = idleTimeout;
    this.clients = clients;
  }

  @Override
  protected void initChannel(Channel ch) {
    Worker worker = workers.get(ch.eventLoop());
    if (worker == null) {
      throw new IllegalStateException(ch + " on a loop without a worker: " + ch.eventLoop());
    }
    clients.add(ch);
    ChannelPipeline p = ch.pipeline();
    if (idleTimeout != null && !idleTimeout.isZero()) {
      p.addLast(new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
    }
    // TLS goes here: an SslHandler, then ALPN choosing h2 or http/1.1 before the detector.
    p.addLast(
        new ProtocolDetectHandler(
            DownstreamHttp2Handler.create(worker, routes), ctx -> installHttp1(ctx, worker)));
  }

  /**
   * Drains a client connection for shutdown: HTTP/2 sends GOAWAY and closes once its open streams
   * end (or after {@code drainMillis}); HTTP/1.1 closes after the response in flight; a connection
   * still being detected closes now. Call on the channel's event loop.
   */
  public static void drain(io.netty.channel.Channel ch, long drainMillis) {
    DownstreamHttp2Handler h2 = ch.pipeline().get(DownstreamHttp2Handler.class);
    if (h2 != null && drainMillis > 0) {
      h2.drain(drainMillis);
      return;
    }
    if (ch.pipeline().get(Http1Support.HANDLER_NAME) instanceof Http1DownstreamHandler h1
        && drainMillis > 0) {
      h1.drain();
      return;
    }
    ch.close();
  }

  private void installHttp1(ChannelHandlerContext ctx, Worker worker) {
    Http1Support.install(ctx, worker, routes);
  }
}
