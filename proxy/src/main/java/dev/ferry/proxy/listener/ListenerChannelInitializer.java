package dev.ferry.proxy.listener;

import dev.ferry.proxy.acl.AccessRules;
import dev.ferry.proxy.acl.ListenerAccessHandler;
import dev.ferry.proxy.call.Worker;
import dev.ferry.proxy.config.ListenerLimits;
import dev.ferry.proxy.connectionlog.ConnectionLog;
import dev.ferry.proxy.limits.ConnectionLimitHandler;
import dev.ferry.proxy.limits.HeaderReadTimeoutHandler;
import dev.ferry.proxy.route.RouteTable;
import dev.ferry.proxy.tls.PlaintextOnTlsPortHandler;
import dev.ferry.proxy.tls.ServerTls;
import dev.ferry.proxy.tls.TlsOnPlaintextPortHandler;
import dev.ferry.proxy.trace.ListenerTrace;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http2.Http2Settings;
import java.time.Duration;
import java.util.Map;

/**
 * The pipeline of one accepted client connection, in protocol order: idle timer, [TLS with ALPN],
 * [trace], protocol detection, then HTTP/2 or HTTP/1.1. Connections that end before a call report
 * why to the listener's {@link ConnectionLog}, which the listening channel carries for them all.
 */
public final class ListenerChannelInitializer extends ChannelInitializer<Channel> {
  private final Map<EventLoop, Worker> workers;
  private final RouteTable routes;
  private final Duration idleTimeout;
  private final ChannelGroup clients;
  private final ServerTls tls;
  private final AccessRules access;
  private final ListenerLimits limits;
  private final ConnectionLimitHandler connectionLimit;
  private final ListenerTrace trace;
  private final ConnectionLog connectionLog = new ConnectionLog(System::nanoTime);
  private final Http2Settings http2Settings;

  /**
   * @param workers the per-loop state, by loop; each connection uses its own loop's
   * @param idleTimeout a connection with no open stream for this long closes; zero for never
   * @param clients every accepted connection joins it, so shutdown can find them
   * @param tls the listener's TLS, or {@code null} for plaintext
   * @param access who may connect; checked as a connection arrives and after its TLS handshake
   * @param limits connection count, header-read timeout and the HTTP/2 limits
   * @param trace writes every connection's frames to the listener's trace file, or {@code null}
   */
  public ListenerChannelInitializer(
      Map<EventLoop, Worker> workers,
      RouteTable routes,
      Duration idleTimeout,
      ChannelGroup clients,
      ServerTls tls,
      AccessRules access,
      ListenerLimits limits,
      ListenerTrace trace) {
    this.trace = trace;
    this.access = access;
    this.limits = limits;
    this.connectionLimit = new ConnectionLimitHandler(limits.maxConnections());
    this.workers = workers;
    this.routes = routes;
    this.idleTimeout = idleTimeout;
    this.clients = clients;
    this.tls = tls;
    this.http2Settings = DownstreamHttp2Handler.settingsFor(limits);
  }

  @Override
  protected void initChannel(Channel ch) {
    Worker worker = workers.get(ch.eventLoop());
    if (worker == null) {
      throw new IllegalStateException(ch + " on a loop without a worker: " + ch.eventLoop());
    }
    clients.add(ch);
    // On the listening channel: a per-connection attribute cost every connection a map of them.
    connectionLog.attach(ch.parent() != null ? ch.parent() : ch);
    ChannelPipeline p = ch.pipeline();
    // Cheapest refusals first: too many connections, a denied address; then the clock that a
    // slow client races from its first byte.
    p.addLast(connectionLimit);
    if (!access.allowsAll()) {
      p.addLast(new ListenerAccessHandler(access, false));
    }
    p.addLast(new HeaderReadTimeoutHandler(limits.headerReadTimeout().toMillis()));
    if (!idleTimeout.isZero()) {
      p.addLast(new ConnectionIdleHandler(idleTimeout));
    }
    if (tls != null) {
      // SNI picks the certificate and becomes the SslHandler; ALPN (h2, http/1.1) is settled in
      // the handshake, and the detector below then sees the preface or an HTTP/1.1 request. A
      // client that spoke plaintext is told, in its protocol, that this port requires TLS.
      p.addLast(new PlaintextOnTlsPortHandler());
      p.addLast(tls.newHandler());
      p.addLast(tls.newHandshakeHandler());
      if (access.checksSubject()) {
        p.addLast(new ListenerAccessHandler(access, true));
      }
    }
    if (tls == null) {
      p.addLast(new TlsOnPlaintextPortHandler());
    }
    if (trace != null) {
      // After TLS, so the trace shows plaintext frames; before detection, so it sees every byte.
      p.addLast(trace.newHandler());
    }
    p.addLast(
        new ProtocolDetectHandler(
            DownstreamHttp2Handler.create(worker, routes, limits, http2Settings),
            ctx -> installHttp1(ctx, worker)));
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
    Http1Support.install(ctx, worker, routes, limits);
  }
}
