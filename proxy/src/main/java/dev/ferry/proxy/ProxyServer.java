package dev.ferry.proxy;

import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.admin.AdminServer;
import dev.ferry.proxy.admin.AdminView;
import dev.ferry.proxy.call.ProxyMetrics;
import dev.ferry.proxy.call.Worker;
import dev.ferry.proxy.config.AdminConfig;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.health.EndpointHealth;
import dev.ferry.proxy.health.HealthChecker;
import dev.ferry.proxy.listener.ListenerChannelInitializer;
import dev.ferry.proxy.metrics.EndpointStats;
import dev.ferry.proxy.metrics.ProxyMeters;
import dev.ferry.proxy.outlier.OutlierDetector;
import dev.ferry.proxy.route.RouteTable;
import dev.ferry.proxy.upstream.UpstreamCluster;
import dev.ferry.proxy.upstream.UpstreamClusters;
import dev.ferry.proxy.upstream.UpstreamEndpoint;
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
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running proxy: its listeners bound and serving. Start one with {@link #start}, stop it with
 * {@link #shutdownGracefully}.
 */
public final class ProxyServer implements AutoCloseable, AdminView {
  private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

  private final ProxyConfig config;
  private final ProxyMeters meters;
  private volatile boolean draining;
  private AdminServer admin;
  private final List<HealthChecker> healthCheckers = new ArrayList<>();
  private final EventLoopGroup group;
  private final UpstreamClusters clusters;
  private final Map<EventLoop, Worker> workers;
  private final ChannelGroup clients;
  private final List<Channel> servers = new ArrayList<>();
  private final ProxyMetrics metrics;
  private boolean stopped;

  private ProxyServer(
      ProxyConfig config,
      EventLoopGroup group,
      UpstreamClusters clusters,
      Map<EventLoop, Worker> workers,
      ProxyMetrics metrics,
      ProxyMeters meters) {
    this.config = config;
    this.meters = meters;
    this.group = group;
    this.clusters = clusters;
    this.workers = workers;
    this.metrics = metrics;
    this.clients = new DefaultChannelGroup("ferry-clients", GlobalEventExecutor.INSTANCE);
  }

  /** Binds every listener of {@code config} and starts serving; fails if any address is taken. */
  public static ProxyServer start(ProxyConfig config) throws IOException {
    return start(config, AccessLog.OFF);
  }

  /**
   * Like {@link #start(ProxyConfig)}, writing one entry per call to {@code accessLog} ({@link
   * AccessLog#OFF} costs nothing). The caller keeps ownership of the log and closes it.
   */
  public static ProxyServer start(ProxyConfig config, AccessLog accessLog) throws IOException {
    checkClusters(config);
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> serverType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    Class<? extends Channel> clientType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            Runtime.getRuntime().availableProcessors(), new DefaultThreadFactory("ferry-loop"), io);
    UpstreamClusters clusters = UpstreamClusters.start(config.clusters());
    ProxyMetrics metrics = new ProxyMetrics();
    ProxyMeters meters = new ProxyMeters();
    Map<EventLoop, Worker> workers = new IdentityHashMap<>();
    for (EventExecutor e : group) {
      EventLoop loop = (EventLoop) e;
      workers.put(
          loop,
          new Worker(
              loop, clusters.forLoop(loop, clientType, new Random()), accessLog, metrics, meters));
    }
    ProxyServer server =
        new ProxyServer(config, group, clusters, Map.copyOf(workers), metrics, meters);
    meters.endpointStats(server::endpointStats);
    server.startHealthChecks();
    try {
      for (ListenerConfig l : config.listeners()) {
        server.bind(l, serverType);
      }
      AdminConfig a = config.admin();
      if (a != null) {
        try {
          server.admin = AdminServer.start(a.host(), a.port(), server);
        } catch (IOException e) {
          throw new IOException(
              "cannot listen on " + a.host() + ":" + a.port() + " (admin): " + e.getMessage(), e);
        }
      }
    } catch (IOException | RuntimeException e) {
      server.shutdownNow();
      throw e;
    }
    return server;
  }

  /**
   * One checker per cluster with a health_check, spread over the loops, each using its loop's
   * pools.
   */
  private void startHealthChecks() {
    List<Worker> ws = new ArrayList<>(workers.values());
    int i = 0;
    for (ClusterConfig c : config.clusters().values()) {
      if (c.healthCheck() == null) {
        continue;
      }
      Worker w = ws.get(i++ % ws.size());
      for (UpstreamCluster uc : w.clusters()) {
        if (uc.name().equals(c.name())) {
          healthCheckers.add(HealthChecker.start(c, w.loop(), uc.endpoints(), new Random()));
        }
      }
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

  private void bind(ListenerConfig l, Class<? extends ServerChannel> serverType)
      throws IOException {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(serverType)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ListenerChannelInitializer(
                    workers, RouteTable.compile(l.routes()), l.idleTimeout(), clients));
    ChannelFuture f = b.bind(l.host(), l.port()).awaitUninterruptibly();
    if (!f.isSuccess()) {
      Throwable c = f.cause();
      throw new IOException(
          "cannot listen on " + l.host() + ":" + l.port() + ": " + c.getMessage(), c);
    }
    servers.add(f.channel());
    log.info("{} listening", f.channel());
  }

  /** The addresses actually bound, in the order of the config's listeners (port 0 resolved). */
  public List<InetSocketAddress> boundAddresses() {
    List<InetSocketAddress> out = new ArrayList<>(servers.size());
    for (Channel c : servers) {
      out.add((InetSocketAddress) c.localAddress());
    }
    return out;
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

  @Override
  public boolean ready() {
    return !draining;
  }

  @Override
  public void drain() {
    synchronized (this) {
      if (draining || stopped) {
        return;
      }
      draining = true;
    }
    long drainMillis = config.drainTimeout() == null ? 0 : config.drainTimeout().toMillis();
    log.info("draining: readiness fails from now on; clients get GOAWAY");
    for (Channel c : clients) {
      c.eventLoop().execute(() -> ListenerChannelInitializer.drain(c, Math.max(drainMillis, 1)));
    }
  }

  /**
   * Every endpoint of every cluster, summed over the event loops. Each loop reads its own state
   * (its connections and in-flight calls belong to it), so this waits briefly for each.
   */
  @Override
  public List<EndpointStats> endpointStats() {
    List<Future<Map<String, int[][]>>> perLoop = new ArrayList<>(workers.size());
    for (Worker w : workers.values()) {
      if (w.loop().isShuttingDown()) {
        return List.of();
      }
      perLoop.add(w.loop().submit(() -> sample(w)));
    }
    Map<String, int[][]> sum = new java.util.HashMap<>();
    Map<String, List<EndpointHealth>> health = new java.util.HashMap<>();
    Map<String, OutlierDetector> outliers = new java.util.HashMap<>();
    for (Future<Map<String, int[][]>> f : perLoop) {
      Map<String, int[][]> m;
      try {
        m = f.get(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      } catch (ExecutionException | TimeoutException e) {
        continue;
      }
      m.forEach(
          (cluster, eps) -> {
            int[][] acc = sum.computeIfAbsent(cluster, k -> new int[eps.length][3]);
            for (int i = 0; i < eps.length && i < acc.length; i++) {
              acc[i][0] += eps[i][0];
              acc[i][1] += eps[i][1];
              acc[i][2] |= eps[i][2];
            }
          });
    }
    List<EndpointStats> out = new ArrayList<>();
    Worker any = workers.values().iterator().next();
    for (UpstreamCluster c : any.clusters()) {
      health.put(c.name(), c.endpoints().stream().map(UpstreamEndpoint::health).toList());
      if (c.outlier() != null) {
        outliers.put(c.name(), c.outlier());
      }
    }
    for (ClusterConfig c : config.clusters().values()) {
      int[][] acc = sum.get(c.name());
      List<EndpointHealth> hs = health.getOrDefault(c.name(), List.of());
      for (int i = 0; i < c.endpoints().size(); i++) {
        var ep = c.endpoints().get(i);
        int[] a = acc == null || i >= acc.length ? new int[3] : acc[i];
        EndpointHealth h = i < hs.size() ? hs.get(i) : null;
        boolean healthy = h == null || h.isHealthy();
        OutlierDetector od = outliers.get(c.name());
        boolean ejected = a[2] != 0 || (h != null && od != null && od.isEjected(h));
        out.add(
            new EndpointStats(
                c.name(),
                ep.toString(),
                Math.max(1, ep.weight()),
                healthy,
                ejected,
                h == null ? 0 : h.ejections(),
                a[0],
                a[1]));
      }
    }
    return out;
  }

  /** On {@code w}'s loop: per cluster, per endpoint {in-flight, connections, ejected}. */
  private static Map<String, int[][]> sample(Worker w) {
    Map<String, int[][]> out = new java.util.HashMap<>();
    for (UpstreamCluster c : w.clusters()) {
      List<UpstreamEndpoint> eps = c.endpoints();
      int[][] a = new int[eps.size()][3];
      for (int i = 0; i < eps.size(); i++) {
        UpstreamEndpoint e = eps.get(i);
        a[i][0] = e.inFlight();
        a[i][1] = e.connectionCount();
        a[i][2] = e.isConnectEjected() ? 1 : 0;
      }
      out.put(c.name(), a);
    }
    return out;
  }

  /** Live counters: calls, bytes held in the proxy between reading and writing. */
  public ProxyMetrics metrics() {
    return metrics;
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
    for (Channel c : clients) {
      c.eventLoop().execute(() -> ListenerChannelInitializer.drain(c, drainMillis));
    }
    clients.newCloseFuture().await(drainMillis + 1000, TimeUnit.MILLISECONDS);
    clients.close().await(1, TimeUnit.SECONDS);
    shutdownNow();
  }

  private void shutdownNow() {
    healthCheckers.forEach(HealthChecker::close);
    if (admin != null) {
      admin.close();
    }
    for (Worker w : workers.values()) {
      w.loop().execute(() -> w.clusters().forEach(c -> c.closeAll()));
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    clusters.close();
  }

  @Override
  public void close() throws InterruptedException {
    shutdownGracefully(Duration.ZERO);
  }
}
