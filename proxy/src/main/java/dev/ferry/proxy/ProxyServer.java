package dev.ferry.proxy;

import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.admin.AdminServer;
import dev.ferry.proxy.admin.AdminView;
import dev.ferry.proxy.call.Worker;
import dev.ferry.proxy.config.AdminConfig;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.listener.ListenerChannelInitializer;
import dev.ferry.proxy.metrics.EndpointStats;
import dev.ferry.proxy.metrics.ProxyMeters;
import dev.ferry.proxy.reload.ConfigSource;
import dev.ferry.proxy.reload.Reloadable;
import dev.ferry.proxy.reload.SourceStatus;
import dev.ferry.proxy.tls.CertificateReloader;
import dev.ferry.proxy.tls.ClientTls;
import dev.ferry.proxy.upstream.UpstreamFailure;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running proxy: its listeners bound and serving. Start one with {@link #start}, stop it with
 * {@link #shutdownGracefully}.
 */
public final class ProxyServer implements AutoCloseable, AdminView, Reloadable {
  private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

  private volatile ProxyConfig config;
  private final ProxyMeters meters;
  private volatile boolean draining;
  private volatile ConfigSource source = ConfigSource.STATIC;
  private AdminServer admin;
  private CertificateReloader certificateReloader;
  private final EventLoopGroup group;
  private final ClusterRuntime clusters;
  private final Map<EventLoop, Worker> workers;
  private final ChannelGroup clients;
  private final Listeners listeners;
  private boolean stopped;

  private ProxyServer(
      ProxyConfig config,
      EventLoopGroup group,
      ClusterRuntime clusters,
      Map<EventLoop, Worker> workers,
      ProxyMeters meters,
      Class<? extends ServerChannel> serverType) {
    this.config = config;
    this.meters = meters;
    this.group = group;
    this.clusters = clusters;
    this.workers = workers;
    this.clients = new DefaultChannelGroup("ferry-clients", GlobalEventExecutor.INSTANCE);
    this.listeners = new Listeners(group, serverType, workers, clients);
  }

  /**
   * Binds every listener of {@code config} and starts serving.
   *
   * @throws ListenFailedException when a listener or the admin listener cannot bind its address
   */
  public static ProxyServer start(ProxyConfig config) throws IOException {
    return start(config, AccessLog.OFF);
  }

  /**
   * Like {@link #start(ProxyConfig)}, writing one entry per call to {@code accessLog} ({@link
   * AccessLog#OFF} costs nothing). The caller keeps ownership of the log and closes it.
   */
  public static ProxyServer start(ProxyConfig config, AccessLog accessLog) throws IOException {
    checkClusters(config);
    DomainSocketSupport.check(config);
    Map<String, SslContext> upstreamTls = ClientTls.forClusters(config.clusters());
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> serverType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    Class<? extends Channel> clientType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            Runtime.getRuntime().availableProcessors(), new DefaultThreadFactory("ferry-loop"), io);
    ClusterRuntime clusters = new ClusterRuntime(group, clientType);
    clusters.start(config.clusters(), upstreamTls);
    ProxyMeters meters = new ProxyMeters();
    Map<EventLoop, Worker> workers = new IdentityHashMap<>();
    for (EventExecutor e : group) {
      EventLoop loop = (EventLoop) e;
      workers.put(loop, new Worker(loop, clusters.forLoop(loop), accessLog, meters));
    }
    ProxyServer server =
        new ProxyServer(config, group, clusters, Map.copyOf(workers), meters, serverType);
    meters.endpointStats(server::endpointStats);
    clusters.attach(new ArrayList<>(workers.values()), config.clusters().values());
    try {
      for (ListenerConfig l : config.listeners()) {
        server.listeners.bind(l, l.routes());
      }
      if (!server.listeners.tls().isEmpty()) {
        server.certificateReloader =
            CertificateReloader.start(server.listeners.tls(), CertificateReloader.DEFAULT_INTERVAL);
      }
      AdminConfig a = config.admin();
      if (a != null) {
        try {
          server.admin = AdminServer.start(a.host(), a.port(), server);
        } catch (IOException e) {
          throw ListenFailedException.of(a.host(), a.port(), ListenFailedException.Role.ADMIN, e);
        }
      }
    } catch (IOException | RuntimeException e) {
      server.shutdownNow();
      throw e;
    }
    return server;
  }

  /**
   * Applies {@code next}'s routes and clusters to the calls that start from now on: connections and
   * calls in progress are untouched; clusters whose configuration did not change keep their
   * connections, health and ejections; replaced ones close once their calls are done. Listener
   * addresses, the admin listener and the access log need a restart, so a config changing the
   * listeners is refused and the others are reported. Returns one line saying what changed.
   *
   * @throws IllegalArgumentException when {@code next} cannot be applied; nothing changed then
   */
  public synchronized String reload(ProxyConfig next) {
    checkRunning();
    checkClusters(next);
    DomainSocketSupport.check(next);
    checkSameListeners(config, next);
    int[] same = new int[next.listeners().size()];
    Arrays.setAll(same, i -> i);
    return apply(next, new Listeners.Change(same, 0, List.of()));
  }

  /**
   * Like {@link #reload}, and listeners added by {@code next} are opened, and those it leaves out
   * stop accepting and drain their connections (in-flight calls get the drain timeout): for a
   * source such as xDS that adds and removes listeners. Listeners are the same when host and port
   * are.
   *
   * @throws IllegalArgumentException when {@code next} cannot be applied (a new listener cannot
   *     bind its address); nothing changed then
   */
  @Override
  public synchronized String reloadWithListeners(ProxyConfig next) {
    checkRunning();
    checkClusters(next);
    DomainSocketSupport.check(next);
    Listeners.Change change;
    try {
      change = listeners.adopt(config.listeners(), next.listeners());
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    String summary = apply(next, change);
    listeners.close(change.closing(), Math.max(next.drainTimeout().toMillis(), 1));
    return summary;
  }

  private void checkRunning() {
    if (stopped) {
      throw new IllegalStateException("the proxy is stopped");
    }
  }

  /** The common part of a reload, once the listeners are in {@code next}'s order. */
  private String apply(ProxyConfig next, Listeners.Change change) {
    ProxyConfig old = config;
    Duration drain = next.drainTimeout();
    ClusterRuntime.Changes changes = clusters.replace(old.clusters(), next.clusters(), drain);
    listeners.replaceRoutes(next.listeners());
    clusters.dropRemoved(changes.removed(), drain);
    config = next;
    return ReloadSummary.of(old, next, changes, change);
  }

  private static void checkSameListeners(ProxyConfig old, ProxyConfig next) {
    boolean same = old.listeners().size() == next.listeners().size();
    for (int i = 0; same && i < old.listeners().size(); i++) {
      ListenerConfig a = old.listeners().get(i);
      ListenerConfig b = next.listeners().get(i);
      same = a.address().equals(b.address());
    }
    if (!same) {
      throw new IllegalArgumentException(
          "listeners: addresses changed (expected: the same listeners in the same order; restart"
              + " ferry serve to change them)");
    }
  }

  /** The loader validates this; a config built in code gets the same promise checked here. */
  private static void checkClusters(ProxyConfig config) {
    for (int i = 0; i < config.listeners().size(); i++) {
      List<RouteConfig> routes = config.listeners().get(i).routes();
      for (int j = 0; j < routes.size(); j++) {
        RouteConfig r = routes.get(j);
        if (r.directReply() == null && !config.clusters().containsKey(r.cluster())) {
          throw new IllegalArgumentException(
              "listeners["
                  + i
                  + "].routes["
                  + j
                  + "].cluster: "
                  + r.cluster()
                  + " (expected: one of "
                  + config.clusters().keySet()
                  + ")");
        }
      }
    }
  }

  /**
   * The TCP addresses actually bound (port 0 resolved), in the order of the config's listeners,
   * Unix socket listeners left out; {@link #listenAddresses} has them all.
   */
  public List<InetSocketAddress> boundAddresses() {
    return listeners.tcpAddresses();
  }

  /**
   * Every listener's address, in the order of the config's listeners: an {@link InetSocketAddress}
   * (port 0 resolved) or, for a Unix socket, a {@link DomainSocketAddress}.
   */
  public List<SocketAddress> listenAddresses() {
    return listeners.addresses();
  }

  @Override
  public List<SocketAddress> listenerAddresses() {
    return listenAddresses();
  }

  /** The admin listener's address, or {@code null} when there is none. */
  public InetSocketAddress adminAddress() {
    return admin == null ? null : admin.address();
  }

  @Override
  public ProxyMeters meters() {
    return meters;
  }

  @Override
  public ProxyConfig config() {
    return config;
  }

  /** Names where later configurations come from, for {@code /config} and {@code /ready}. */
  public void configuredBy(ConfigSource source) {
    this.source = source;
  }

  @Override
  public SourceStatus source() {
    return source.status();
  }

  @Override
  public String notReady() {
    return draining ? "draining" : source.status().notReady();
  }

  @Override
  public void drain() {
    synchronized (this) {
      if (draining || stopped) {
        return;
      }
      draining = true;
    }
    Duration drain = config.drainTimeout();
    log.info("draining: readiness fails from now on; clients get GOAWAY");
    DrainDeadline.schedule(workers.values(), drain, "the proxy is draining (POST /drain)");
    long connectionMillis = Math.max(DrainDeadline.connectionMillis(drain.toMillis()), 1);
    for (Channel c : clients) {
      c.eventLoop().execute(() -> ListenerChannelInitializer.drain(c, connectionMillis));
    }
  }

  /**
   * Every endpoint of every cluster, summed over the event loops. Each loop reads its own state
   * (its connections and in-flight calls belong to it), so this waits briefly for each.
   */
  @Override
  public List<EndpointStats> endpointStats() {
    return EndpointSampler.sample(workers.values(), config);
  }

  /**
   * Sends GOAWAY to every client, lets in-flight calls finish for up to {@code drainTimeout}, then
   * closes everything. Returns when all is closed.
   */
  public void shutdownGracefully(Duration drainTimeout) throws InterruptedException {
    synchronized (this) {
      if (stopped) {
        return;
      }
      stopped = true;
    }
    long drainMillis = drainTimeout == null ? 0 : drainTimeout.toMillis();
    listeners.stopAccepting();
    if (drainMillis > 0) {
      DrainDeadline.schedule(workers.values(), drainTimeout, "the proxy is shutting down");
    }
    long connectionMillis = DrainDeadline.connectionMillis(drainMillis);
    for (Channel c : clients) {
      c.eventLoop().execute(() -> ListenerChannelInitializer.drain(c, connectionMillis));
    }
    clients.newCloseFuture().await(connectionMillis + 1000, TimeUnit.MILLISECONDS);
    clients.close().await(1, TimeUnit.SECONDS);
    shutdownNow();
  }

  private void shutdownNow() {
    // Every client connection is closed by now, so no call hears this; it names the cause if one
    // did.
    UpstreamFailure stopped = UpstreamFailure.draining("the proxy stopped");
    if (certificateReloader != null) {
      certificateReloader.close();
    }
    if (admin != null) {
      admin.close();
    }
    for (Worker w : workers.values()) {
      w.loop().execute(() -> w.clusters().forEach(c -> c.closeAll(stopped)));
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    clusters.close();
    // After the loops: no connection can emit an event any more, so the files end complete.
    listeners.closeTraces();
  }

  @Override
  public void close() throws InterruptedException {
    shutdownGracefully(Duration.ZERO);
  }
}
