package dev.ferry.proxy.upstream;

import dev.ferry.proxy.balance.Target;
import dev.ferry.proxy.health.EndpointHealth;
import dev.ferry.proxy.transport.Http2Tuning;
import dev.ferry.proxy.transport.SocketFile;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One endpoint as seen from one event loop: its pool of HTTP/2 connections, opened on demand and
 * multiplexed; a new connection opens when the others are at the backend's
 * SETTINGS_MAX_CONCURRENT_STREAMS.
 */
public final class UpstreamEndpoint implements Target, CallEndpoint {
  /** Calls that may wait on one connection still being opened. */
  static final int CALLS_PER_CONNECTING = 100;

  /** How long an endpoint that refused a connection is passed over when others are left. */
  static final long EJECT_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final EndpointAddress address;
  private final UpstreamConnector connector;
  private final ConnectSettings settings;
  private final int connectTimeoutMillis;
  private final String name;
  private final boolean http1;
  private final SslContext tls;
  private final String serverName;
  private final List<H2UpstreamConnection> connections = new ArrayList<>(2);
  private final List<H1UpstreamConnection> idleHttp1 = new ArrayList<>(2);
  private int inFlight;
  private long ejectedUntil;

  UpstreamEndpoint(EndpointAddress address, UpstreamConnector connector, ConnectSettings settings) {
    this.address = address;
    this.connector = connector;
    this.settings = settings;
    this.tls = settings.tls();
    this.serverName = settings.serverNameFor(address.endpoint().host());
    this.http1 = settings.http1();
    this.connectTimeoutMillis = settings.connectTimeoutMillis();
    this.name = address.endpoint().toString();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String key() {
    return name;
  }

  @Override
  public int weight() {
    return Math.max(1, address.endpoint().weight());
  }

  @Override
  public int inFlight() {
    return inFlight;
  }

  @Override
  public void callStarted() {
    inFlight++;
  }

  @Override
  public void callEnded() {
    inFlight--;
  }

  /** Connections open or opening to this endpoint from this loop (HTTP/1.1: idle ones). */
  public int connectionCount() {
    return connections.size() + idleHttp1.size();
  }

  @Override
  public EndpointHealth health() {
    return address.health();
  }

  /** Passed over for new calls: it just refused a connection, or fails its health checks. */
  boolean isEjected(long now) {
    return (ejectedUntil != 0 && now - ejectedUntil < 0) || !address.health().isHealthy();
  }

  /** Whether it refused a connection in the last moments and is passed over for that. */
  public boolean isConnectEjected() {
    return ejectedUntil != 0 && System.nanoTime() - ejectedUntil < 0;
  }

  /** Whether the name ever resolved. */
  boolean isResolved() {
    return address.address() != null;
  }

  @Override
  public void acquire(ConnectCallback cb) {
    if (http1) {
      acquireHttp1(cb);
      return;
    }
    for (H2UpstreamConnection c : connections) {
      if (c.isReady() && c.canOpenStream()) {
        cb.onUpstreamReady(c);
        return;
      }
    }
    for (H2UpstreamConnection c : connections) {
      if (c.isConnecting() && c.waiterCount() < CALLS_PER_CONNECTING) {
        c.addWaiter(cb);
        return;
      }
    }
    SocketAddress target = address.address();
    if (target == null) {
      cb.onConnectFailed(unresolved());
      return;
    }
    H2UpstreamConnection c = H2UpstreamConnection.create(this, Http2Tuning.settings(false));
    connections.add(c);
    c.addWaiter(cb);
    ChannelFuture f =
        connector.connect(target, settings, tls == null ? c : withTls(c, target, c::connectFailed));
    f.addListener(
        done -> {
          if (!done.isSuccess()) {
            ejectedUntil = System.nanoTime() + EJECT_NANOS;
            c.connectFailed(describe(target, done.cause()));
          } else {
            ejectedUntil = 0;
            scheduleSettingsTimeout(c, f.channel());
          }
        });
  }

  /** HTTP/1.1: an idle keep-alive connection, else a new one; one call per connection. */
  private void acquireHttp1(ConnectCallback cb) {
    while (!idleHttp1.isEmpty()) {
      H1UpstreamConnection c = idleHttp1.remove(idleHttp1.size() - 1);
      if (c.isIdle()) {
        cb.onUpstreamReady(c);
        return;
      }
    }
    SocketAddress target = address.address();
    if (target == null) {
      cb.onConnectFailed(unresolved());
      return;
    }
    H1UpstreamConnection c = new H1UpstreamConnection(this);
    connector
        .connect(
            target,
            settings,
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                if (tls != null) {
                  ch.pipeline().addLast(tls.newHandler(ch.alloc(), serverName, portOf(target)));
                }
                ch.pipeline().addLast(new HttpClientCodec(), c);
              }
            })
        .addListener(
            done -> {
              if (done.isSuccess() && tls != null) {
                ejectedUntil = 0;
                // HTTP/1.1 has no settings to wait for: the handshake is the connection's
                // readiness.
                Channel ch = ((ChannelFuture) done).channel();
                ch.pipeline()
                    .get(SslHandler.class)
                    .handshakeFuture()
                    .addListener(
                        hs -> {
                          if (hs.isSuccess()) {
                            cb.onUpstreamReady(c);
                          } else {
                            ch.close();
                            cb.onConnectFailed(
                                new UpstreamFailure(
                                    UpstreamFailure.Kind.TLS_HANDSHAKE,
                                    "TLS handshake with "
                                        + name
                                        + " failed: "
                                        + UpstreamFailure.rootMessage(hs.cause()),
                                    hs.cause()));
                          }
                        });
              } else if (done.isSuccess()) {
                ejectedUntil = 0;
                cb.onUpstreamReady(c);
              } else {
                ejectedUntil = System.nanoTime() + EJECT_NANOS;
                cb.onConnectFailed(describe(target, done.cause()));
              }
            });
  }

  /** The TLS handshake in front of {@code next}, its failure reported to {@code onFailure}. */
  private ChannelHandler withTls(
      ChannelHandler next, SocketAddress target, Consumer<UpstreamFailure> onFailure) {
    return new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline()
            .addLast(
                tls.newHandler(ch.alloc(), serverName, portOf(target)),
                new UpstreamTlsHandshakeHandler(name, onFailure),
                next);
      }
    };
  }

  /** The failure of an endpoint whose name never resolved. */
  private UpstreamFailure unresolved() {
    return UpstreamFailure.of(
        UpstreamFailure.Kind.UNRESOLVED,
        address.failure() == null
            ? "cannot resolve " + address.endpoint().host()
            : address.failure());
  }

  void idle(H1UpstreamConnection c) {
    idleHttp1.add(c);
  }

  void remove(H1UpstreamConnection c) {
    idleHttp1.remove(c);
  }

  private void scheduleSettingsTimeout(H2UpstreamConnection c, Channel ch) {
    EventLoop loop = ch.eventLoop();
    loop.schedule(
        () -> {
          if (c.isConnecting()) {
            c.connectFailed(
                UpstreamFailure.of(
                    UpstreamFailure.Kind.NO_HTTP2,
                    "no HTTP/2 settings from " + name + " within " + connectTimeoutMillis + "ms"));
            ch.close();
          }
        },
        connectTimeoutMillis,
        TimeUnit.MILLISECONDS);
  }

  /** The port TLS keys its session cache by; -1, the JDK's "unknown", for a Unix socket. */
  private static int portOf(SocketAddress target) {
    return target instanceof InetSocketAddress a ? a.getPort() : -1;
  }

  private UpstreamFailure describe(SocketAddress target, Throwable cause) {
    if (target instanceof DomainSocketAddress socket
        && !(cause instanceof ConnectTimeoutException)) {
      // A refused connect to a socket file has reasons TCP has not; a look at the file tells.
      String why = SocketFile.whyNoConnect(Path.of(socket.path()));
      return why == null
          ? new UpstreamFailure(
              UpstreamFailure.Kind.CONNECT_REFUSED,
              "connect to " + name + " refused (no process listens on the socket)",
              cause)
          : new UpstreamFailure(
              UpstreamFailure.Kind.CONNECT_ERROR, "connect to " + name + " failed: " + why, cause);
    }
    String ip = hostPort(target);
    String where = ip == null || name.equals(ip) ? name : name + " (" + ip + ")";
    return UpstreamFailure.connect(where, cause, connectTimeoutMillis);
  }

  private static String hostPort(SocketAddress a) {
    // The IP when resolved, else the name; a Unix socket is named by its endpoint already.
    return a instanceof InetSocketAddress inet ? NetUtil.toSocketAddressString(inet) : null;
  }

  void remove(H2UpstreamConnection c) {
    connections.remove(c);
  }

  /**
   * Closes every connection of this endpoint on this loop; the HTTP/2 calls on them end for {@code
   * why}.
   */
  void closeAll(UpstreamFailure why) {
    for (H2UpstreamConnection c : new ArrayList<>(connections)) {
      c.closeChannel(why);
    }
    for (H1UpstreamConnection c : new ArrayList<>(idleHttp1)) {
      c.reset(0, null);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
