package dev.ferry.proxy;

import dev.ferry.proxy.acl.AccessRules;
import dev.ferry.proxy.call.Worker;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.config.TraceConfig;
import dev.ferry.proxy.listener.ListenerChannelInitializer;
import dev.ferry.proxy.route.RouteTable;
import dev.ferry.proxy.tls.ModernTls;
import dev.ferry.proxy.tls.ServerTls;
import dev.ferry.proxy.trace.ListenerTrace;
import dev.ferry.proxy.transport.SocketReads;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's bound listeners, in the order of the running config's: each one's server channel and
 * route table, and what they share (the TLS contexts the certificate reloader watches, one trace
 * writer per file). Opens, reorders and closes them as a reload asks.
 */
final class Listeners {
  private static final Logger log = LoggerFactory.getLogger(Listeners.class);

  /**
   * What {@link #adopt} did.
   *
   * @param match for each listener of the new config, its index in the old one, or -1 when opened
   * @param opened how many listeners were opened
   * @param closing the old listeners the new config leaves out, still accepting until {@link
   *     #close}
   */
  record Change(int[] match, int opened, List<Channel> closing) {}

  private final EventLoopGroup group;
  private final Class<? extends ServerChannel> serverType;
  private final Map<EventLoop, Worker> workers;
  private final ChannelGroup clients;
  private final List<RouteTable> tables = new ArrayList<>();
  private final List<Channel> servers = new ArrayList<>();
  private final List<ServerTls> tls = new ArrayList<>();
  // By file: listeners naming the same file share one writer, so lines never interleave.
  private final Map<String, ListenerTrace> traces = new LinkedHashMap<>();

  Listeners(
      EventLoopGroup group,
      Class<? extends ServerChannel> serverType,
      Map<EventLoop, Worker> workers,
      ChannelGroup clients) {
    this.group = group;
    this.serverType = serverType;
    this.workers = workers;
    this.clients = clients;
  }

  /** Binds {@code l} serving {@code routes}, adding its table and channel at the lists' end. */
  void bind(ListenerConfig l, List<RouteConfig> routes) throws IOException {
    RouteTable table = RouteTable.compile(routes, l.cors());
    tables.add(table);
    ServerTls serverTls = null;
    if (l.tls() != null) {
      serverTls = ServerTls.load(l.address(), l.tls());
      tls.add(serverTls);
    }
    ListenerTrace trace = l.trace() == null ? null : traces.get(l.trace().path());
    if (l.trace() != null && trace == null) {
      trace =
          ListenerTrace.open(
              Path.of(l.trace().path()), l.trace().format() == TraceConfig.Format.JSON);
      traces.put(l.trace().path(), trace);
    }
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.RCVBUF_ALLOCATOR, SocketReads.ALLOCATOR)
            .childHandler(
                new ListenerChannelInitializer(
                    workers,
                    table,
                    l.idleTimeout(),
                    clients,
                    serverTls,
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
    if (serverTls == null) {
      log.debug("{} listening", f.channel());
    } else {
      log.debug("{} listening, TLS by {}", f.channel(), ModernTls.providerName());
    }
  }

  /**
   * Makes these the listeners of {@code next}, in its order: those it adds are bound (serving no
   * route until {@link #replaceRoutes}, once the clusters they name run on every loop), and those
   * it leaves out are returned to be closed.
   *
   * @throws IOException when a new listener cannot bind; those opened are closed, nothing changed
   */
  Change adopt(List<ListenerConfig> old, List<ListenerConfig> next) throws IOException {
    int[] match = ListenerMatch.of(old, next);
    int before = servers.size();
    int opened = 0;
    try {
      for (int i = 0; i < match.length; i++) {
        if (match[i] < 0) {
          bind(next.get(i), List.of());
          opened++;
        }
      }
    } catch (IOException e) {
      for (int k = servers.size() - 1; k >= before; k--) {
        servers.remove(k).close().awaitUninterruptibly();
        tables.remove(k);
      }
      throw e;
    }
    List<Channel> closing = new ArrayList<>();
    ListenerMatch.dropped(old.size(), match).forEach(j -> closing.add(servers.get(j)));
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
    return new Change(match, opened, List.copyOf(closing));
  }

  /** Each listener serves the routes of its counterpart in {@code listeners}, for new calls. */
  void replaceRoutes(List<ListenerConfig> listeners) {
    for (int i = 0; i < tables.size(); i++) {
      tables.get(i).replace(listeners.get(i).routes(), listeners.get(i).cors());
    }
  }

  /**
   * Stops {@code closing} accepting and drains their connections: GOAWAY, and in-flight calls get
   * {@code drainMillis}.
   */
  void close(List<Channel> closing, long drainMillis) {
    for (Channel s : closing) {
      s.close();
    }
    for (Channel c : clients) {
      if (closing.contains(c.parent())) {
        c.eventLoop().execute(() -> ListenerChannelInitializer.drain(c, drainMillis));
      }
    }
  }

  /** Every listener's address: TCP (port 0 resolved) or a Unix socket's. */
  List<SocketAddress> addresses() {
    List<SocketAddress> out = new ArrayList<>(servers.size());
    for (Channel c : servers) {
      out.add(c.localAddress());
    }
    return out;
  }

  /** The TCP listeners' addresses, port 0 resolved; Unix sockets left out. */
  List<InetSocketAddress> tcpAddresses() {
    List<InetSocketAddress> out = new ArrayList<>(servers.size());
    for (Channel c : servers) {
      if (c.localAddress() instanceof InetSocketAddress a) {
        out.add(a);
      }
    }
    return out;
  }

  /** The TLS listeners' contexts, whose certificate files the reloader watches. */
  List<ServerTls> tls() {
    return tls;
  }

  /** Stops accepting on every listener; their connections stay. */
  void stopAccepting() {
    for (Channel s : servers) {
      s.close().awaitUninterruptibly();
    }
  }

  /** Ends the trace files; call once no connection can emit an event any more. */
  void closeTraces() {
    traces.values().forEach(ListenerTrace::close);
  }
}
