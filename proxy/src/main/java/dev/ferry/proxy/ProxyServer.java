package dev.ferry.proxy;

import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.acl.AccessRules;
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
import dev.ferry.proxy.route.RouteTable;
import dev.ferry.proxy.tls.CertificateReloader;
import dev.ferry.proxy.tls.ClientTls;
import dev.ferry.proxy.tls.ModernTls;
import dev.ferry.proxy.tls.ServerTls;
import dev.ferry.proxy.trace.ListenerTrace;
import dev.ferry.proxy.upstream.UpstreamFailure;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
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
  private final List<ServerTls> tlsListeners = new ArrayList<>();
  private CertificateReloader certificateReloader;
  private final EventLoopGroup group;
  private final Class<? extends ServerChannel> serverType;
  private final ClusterRuntime clusters;
  private final List<RouteTable> tables = new ArrayList<>();
  private final Map<EventLoop, Worker> workers;
  private final ChannelGroup clients;
  private final List<Channel> servers = new ArrayList<>();
  // By file: listeners naming the same file share one writer, so lines never interleave.
  private final Map<String, ListenerTrace> traces = new java.util.LinkedHashMap<>();
  private boolean stopped;

  private ProxyServer(
      ProxyConfig config,
      EventLoopGroup group,
      ClusterRuntime clusters,
      Map<EventLoop, Worker> workers,
      ProxyMeters meters,
      Class<? extends ServerChannel> serverType) {
    this.config = config;
    this.serverType = serverType;
    this.meters = meters;
    this.group = group;
    this.clusters = clusters;
    this.workers = workers;
    this.clients = new DefaultChannelGroup("ferry-clients", GlobalEventExecutor.INSTANCE);
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
        server.bind(l, l.routes());
      }
      if (!server.tlsListeners.isEmpty()) {
        server.certificateReloader =
            CertificateReloader.start(server.tlsListeners, CertificateReloader.DEFAULT_INTERVAL);
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
    return apply(next, same, List.of(), 0);
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
    ProxyConfig old = config;
    int[] match = ListenerMatch.of(old.listeners(), next.listeners());
    int before = servers.size();
    int opened = 0;
    try {
      for (int i = 0; i < match.length; i++) {
        if (match[i] < 0) {
          // Routes come below, once the clusters they name run on every loop.
          bind(next.listeners().get(i), List.of());
          opened++;
        }
      }
    } catch (IOException e) {
      for (int k = servers.size() - 1; k >= before; k--) {
        servers.remove(k).close().awaitUninterruptibly();
        tables.remove(k);
      }
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    List<Integer> dropped = ListenerMatch.dropped(old.listeners().size(), match);
    List<Channel> closing = new ArrayList<>();
    dropped.forEach(j -> closing.add(servers.get(j)));
    List<RouteTable> nextTables = new ArrayList<>();
    List<Channel> nextServers = new ArrayList<>();
    int fresh = before;
    for (int j : match) {
      int k = j >= 0 ? j : fresh++;
      nextTables.add(tables.get(k));
      nextServers.add(servers.get(k));
    }
    tables.clear();
    tables.addAll(nextTables);
    servers.clear();
    servers.addAll(nextServers);
    String summary = apply(next, match, closing, opened);
    long drainMillis = Math.max(next.drainTimeout().toMillis(), 1);
    for (Channel s : closing) {
      s.close();
    }
    for (Channel c : clients) {
      if (closing.contains(c.parent())) {
        c.eventLoop().execute(() -> ListenerChannelInitializer.drain(c, drainMillis));
      }
    }
    return summary;
  }

  private void checkRunning() {
    if (stopped) {
      throw new IllegalStateException("the proxy is stopped");
    }
  }

  /** The common part of a reload, once the listeners are in {@code next}'s order. */
  private String apply(ProxyConfig next, int[] match, List<Channel> closing, int opened) {
    ProxyConfig old = config;
    Duration drain = next.drainTimeout();
    ClusterRuntime.Changes changes = clusters.replace(old.clusters(), next.clusters(), drain);
    for (int i = 0; i < tables.size(); i++) {
      ListenerConfig l = next.listeners().get(i);
      tables.get(i).replace(l.routes(), l.cors());
    }
    clusters.dropRemoved(changes.removed(), drain);
    config = next;
    List<String> restart = new ArrayList<>();
    if (!java.util.Objects.equals(old.admin(), next.admin())) {
      restart.add("admin");
    }
    if (!java.util.Objects.equals(old.accessLog(), next.accessLog())) {
      restart.add("access_log");
    }
    for (int i = 0; i < next.listeners().size(); i++) {
      if (match[i] < 0) {
        continue;
      }
      ListenerConfig before = old.listeners().get(match[i]);
      // Certificate files are reloaded on their own; which ones, and the listener's acl and
      // limits, are fixed when it starts.
      if (!ListenerSecurity.same(before, next.listeners().get(i))) {
        restart.add("listeners[" + i + "] tls, acl or limits");
      }
      if (!java.util.Objects.equals(before.trace(), next.listeners().get(i).trace())) {
        restart.add("listeners[" + i + "] trace");
      }
    }
    int routes = next.listeners().stream().mapToInt(l -> l.routes().size()).sum();
    return routes
        + " routes; clusters replaced "
        + changes.replaced()
        + ", removed "
        + changes.removed()
        + ", kept "
        + changes.kept()
        + (opened + closing.size() == 0
            ? ""
            : "; listeners opened " + opened + ", closed " + closing.size())
        + (restart.isEmpty() ? "" : "; not applied until a restart: " + String.join(", ", restart));
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

  /** Binds {@code l} serving {@code routes}, adding its table and channel at the lists' end. */
  private void bind(ListenerConfig l, List<RouteConfig> routes) throws IOException {
    RouteTable table = RouteTable.compile(routes, l.cors());
    tables.add(table);
    ServerTls tls = null;
    if (l.tls() != null) {
      tls = ServerTls.load(l.address(), l.tls());
      tlsListeners.add(tls);
    }
    ListenerTrace trace = l.trace() == null ? null : traces.get(l.trace().path());
    if (l.trace() != null && trace == null) {
      trace =
          ListenerTrace.open(
              java.nio.file.Path.of(l.trace().path()),
              l.trace().format() == dev.ferry.proxy.config.TraceConfig.Format.JSON);
      traces.put(l.trace().path(), trace);
    }
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childHandler(
                new ListenerChannelInitializer(
                    workers,
                    table,
                    l.idleTimeout(),
                    clients,
                    tls,
                    l.acl() == null
                        ? AccessRules.ALLOW_ALL
                        : AccessRules.of(l.acl().allow(), l.acl().deny(), l.acl().clientSubjects()),
                    l.limits(),
                    trace));
    ChannelFuture f;
    if (l.socket() != null) {
      f = UnixListenerFile.bind(b, l.socket());
    } else {
      f =
          b.channel(serverType)
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .bind(l.host(), l.port())
              .awaitUninterruptibly();
      if (!f.isSuccess()) {
        throw ListenFailedException.of(
            l.host(), l.port(), ListenFailedException.Role.LISTENER, f.cause());
      }
    }
    servers.add(f.channel());
    if (tls == null) {
      log.debug("{} listening", f.channel());
    } else {
      log.debug("{} listening, TLS by {}", f.channel(), ModernTls.providerName());
    }
  }

  /**
   * The TCP addresses actually bound (port 0 resolved), in the order of the config's listeners,
   * Unix socket listeners left out; {@link #listenAddresses} has them all.
   */
  public List<InetSocketAddress> boundAddresses() {
    List<InetSocketAddress> out = new ArrayList<>(servers.size());
    for (Channel c : servers) {
      if (c.localAddress() instanceof InetSocketAddress a) {
        out.add(a);
      }
    }
    return out;
  }

  /**
   * Every listener's address, in the order of the config's listeners: an {@link InetSocketAddress}
   * (port 0 resolved) or, for a Unix socket, a {@link DomainSocketAddress}.
   */
  public List<SocketAddress> listenAddresses() {
    List<SocketAddress> out = new ArrayList<>(servers.size());
    for (Channel c : servers) {
      out.add(c.localAddress());
    }
    return out;
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
    for (Channel s : servers) {
      s.close().awaitUninterruptibly();
    }
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
    traces.values().forEach(ListenerTrace::close);
  }

  @Override
  public void close() throws InterruptedException {
    shutdownGracefully(Duration.ZERO);
  }
}
