package dev.ferry.testservers;

import com.google.common.net.InetAddresses;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One running instance of an example backend (greeter or daininki) on one port or one Unix domain
 * socket. Build with {@link #builder}, stop with {@link #close}.
 *
 * <p>Besides its helloworld service, every instance offers grpc.reflection v1 and v1alpha and
 * grpc.health.v1 (SERVING for {@code ""} and for its service), and honours the fault-injection
 * headers of {@link FaultInjectionInterceptor} on its helloworld service only.
 */
public final class ExampleServer implements AutoCloseable {

  /** Which example service an instance offers. */
  public enum Kind {
    GREETER("greeter", GreeterGrpc.SERVICE_NAME, GreeterService::new),
    DAININKI("daininki", DaininkiGrpc.SERVICE_NAME, DaininkiService::new);

    private final String displayName;
    private final String serviceName;
    private final Function<ScheduledExecutorService, BindableService> service;

    Kind(
        String displayName,
        String serviceName,
        Function<ScheduledExecutorService, BindableService> service) {
      this.displayName = displayName;
      this.serviceName = serviceName;
      this.service = service;
    }

    /** The lower-case name, as in the command and in {@code served_by}: {@code greeter}. */
    public String displayName() {
      return displayName;
    }

    /** The fully qualified gRPC service: {@code helloworld.Greeter}. */
    public String serviceName() {
      return serviceName;
    }
  }

  private static final long CLOSE_TIMEOUT_SECONDS = 10;

  private final Kind kind;
  private final Server server;
  private final HealthStatusManager health;
  private final ScheduledExecutorService scheduler;
  private final InstanceName name;
  private final SocketAddress address;
  // The event loops of a Unix socket server, its own; null on TCP, where grpc-java shares its own.
  private final EventLoopGroup unixLoops;

  private ExampleServer(
      Kind kind,
      Server server,
      HealthStatusManager health,
      ScheduledExecutorService scheduler,
      InstanceName name,
      EventLoopGroup unixLoops) {
    this.kind = kind;
    this.server = server;
    this.health = health;
    this.scheduler = scheduler;
    this.name = name;
    this.unixLoops = unixLoops;
    this.address = server.getListenSockets().get(0);
  }

  /**
   * The request size limit unless one is set: 64 MiB, where grpc-java's own 4 MiB would refuse the
   * 4 MiB messages a proxy test sends with RESOURCE_EXHAUSTED.
   */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 << 20;

  public static Builder builder(Kind kind) {
    return new Builder(kind);
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The TCP address actually bound (port 0 resolved).
   *
   * @throws IllegalStateException when the instance listens on a Unix socket: see {@link #socket}
   */
  public InetSocketAddress address() {
    if (address instanceof InetSocketAddress inet) {
      return inet;
    }
    throw new IllegalStateException("listening on " + authority() + ", not on TCP");
  }

  /** The Unix socket file listened on, or {@code null} on TCP. */
  public Path socket() {
    return address instanceof DomainSocketAddress socket ? Path.of(socket.path()) : null;
  }

  /**
   * The bound address as {@code host:port} ({@code [::1]:port} for IPv6), or {@code unix:/path} for
   * a Unix socket: ready to dial, as a gRPC target.
   */
  public String authority() {
    Path socket = socket();
    return socket != null ? "unix:" + socket : authority((InetSocketAddress) address);
  }

  /**
   * The name this instance puts in {@code served_by}: {@code daininki@<port>}, or {@code
   * daininki@<file name>} on a Unix socket, unless set.
   */
  public String id() {
    return name.forAddress(address);
  }

  /** Sets what grpc.health.v1 answers for the whole server and for this instance's service. */
  public void setServing(boolean serving) {
    ServingStatus status = serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
    health.setStatus(kind.serviceName, status);
  }

  /** Stops accepting calls, cancels those still running, and waits until the port is free. */
  @Override
  public void close() {
    health.enterTerminalState();
    server.shutdownNow();
    try {
      server.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      scheduler.shutdownNow();
      if (unixLoops != null) {
        unixLoops
            .shutdownGracefully(0, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .awaitUninterruptibly();
      }
    }
  }

  static String authority(InetSocketAddress address) {
    // toUriString brackets and shortens IPv6 ([::1]), which is what a client's target wants.
    String host =
        address.getAddress() == null
            ? address.getHostString()
            : InetAddresses.toUriString(address.getAddress());
    return host + ":" + address.getPort();
  }

  /** Options of one instance. */
  public static final class Builder {
    private final Kind kind;
    private String host = "127.0.0.1";
    private int port;
    private Path unixSocket;
    private String id;
    private String idPrefix;
    private Path certChain;
    private Path privateKey;
    private Consumer<String> callLog;
    private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;

    private Builder(Kind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** The address to bind; 127.0.0.1 unless set. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port; 0 picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
      }
      this.port = port;
      return this;
    }

    /**
     * Listen on this Unix domain socket instead of a host and port (Linux, through Netty's epoll
     * transport): a socket file left by a process that ended is replaced, anything else there is
     * refused.
     */
    public Builder unixSocket(Path socket) {
      this.unixSocket = Objects.requireNonNull(socket, "socket");
      return this;
    }

    /** The name in {@code served_by}; {@code <kind>@<port>} unless set. */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /**
     * The name before the port in {@code served_by}: {@code east} gives {@code east@<port>}, for
     * several instances of one name; {@link #id} wins when both are set.
     */
    public Builder idPrefix(String idPrefix) {
      this.idPrefix = idPrefix;
      return this;
    }

    /** Serve TLS with this PEM certificate chain and PEM private key. */
    public Builder tls(Path certChain, Path privateKey) {
      this.certChain = Objects.requireNonNull(certChain, "certChain");
      this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
      return this;
    }

    /**
     * The largest request message accepted, in bytes; {@link #DEFAULT_MAX_MESSAGE_SIZE} unless set,
     * so a test of a proxy with big messages is not held back by the backend.
     */
    public Builder maxMessageSize(int maxMessageSize) {
      if (maxMessageSize <= 0) {
        throw new IllegalArgumentException(
            "maxMessageSize: " + maxMessageSize + " (expected: > 0)");
      }
      this.maxMessageSize = maxMessageSize;
      return this;
    }

    /** Receives one line per call (method, status, duration); none unless set. */
    public Builder callLog(Consumer<String> callLog) {
      this.callLog = callLog;
      return this;
    }

    /**
     * Binds and starts serving; an {@link IOException} names the address when it is taken (a {@link
     * BindException}: {@code 127.0.0.1:50051 is already in use}), and the files when TLS cannot use
     * them.
     */
    public ExampleServer start() throws IOException {
      SocketAddress bindAddress;
      if (unixSocket != null) {
        UnixSocketListen.prepare(unixSocket);
        bindAddress = new DomainSocketAddress(unixSocket.toString());
      } else {
        InetSocketAddress inet = new InetSocketAddress(host, port);
        if (inet.isUnresolved()) {
          throw new UnknownHostException(host + ": no such host");
        }
        bindAddress = inet;
      }
      ScheduledExecutorService scheduler =
          Executors.newSingleThreadScheduledExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, "ferry-" + kind.displayName + "-timer");
                thread.setDaemon(true);
                return thread;
              });
      EventLoopGroup unixLoops =
          unixSocket == null ? null : UnixSocketListen.loops(kind.displayName);
      try {
        InstanceName name = new InstanceName(id, idPrefix != null ? idPrefix : kind.displayName);
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
        health.setStatus(kind.serviceName, ServingStatus.SERVING);
        NettyServerBuilder builder =
            nettyBuilder(bindAddress)
                // Every handler here returns at once (delays and paced streams run on the
                // scheduler), so calls run on the event loop: no thread hop per call.
                .directExecutor()
                .maxInboundMessageSize(maxMessageSize)
                .addService(
                    ServerInterceptors.intercept(
                        kind.service.apply(scheduler),
                        new FaultInjectionInterceptor(scheduler),
                        name))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(reflectionV1alpha());
        if (callLog != null) {
          builder.intercept(new CallLogInterceptor(name, callLog, System::nanoTime));
        }
        if (unixLoops != null) {
          // grpc-java takes a channel type only together with loops of its transport.
          builder
              .channelType(EpollServerDomainSocketChannel.class)
              .bossEventLoopGroup(unixLoops)
              .workerEventLoopGroup(unixLoops);
        }
        Server server = bind(builder.build(), bindAddress);
        return new ExampleServer(kind, server, health, scheduler, name, unixLoops);
      } catch (IOException | RuntimeException e) {
        scheduler.shutdownNow();
        if (unixLoops != null) {
          unixLoops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
        throw e;
      }
    }

    private NettyServerBuilder nettyBuilder(SocketAddress bindAddress) throws IOException {
      if (certChain == null) {
        return NettyServerBuilder.forAddress(bindAddress, InsecureServerCredentials.create());
      }
      try {
        ServerCredentials tls =
            TlsServerCredentials.create(certChain.toFile(), privateKey.toFile());
        return NettyServerBuilder.forAddress(bindAddress, tls);
      } catch (IOException | IllegalArgumentException e) {
        // Reading fails with an IOException; Netty refuses PEM it cannot parse with the other.
        throw new IOException(
            "cannot use TLS certificate "
                + certChain
                + " with key "
                + privateKey
                + ": "
                + rootCause(e),
            e);
      }
    }

    private static Server bind(Server server, SocketAddress bindAddress) throws IOException {
      String where =
          bindAddress instanceof InetSocketAddress inet
              ? authority(inet)
              : "unix:" + ((DomainSocketAddress) bindAddress).path();
      try {
        return server.start();
      } catch (IOException e) {
        if (isAddressInUse(e)) {
          BindException inUse = new BindException(where + " is already in use");
          inUse.initCause(e);
          throw inUse;
        }
        throw new IOException("cannot listen on " + where + ": " + rootCause(e), e);
      }
    }

    // Java's BindException or Netty's native epoll error, depending on the transport in use.
    private static boolean isAddressInUse(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof BindException
            || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
          return true;
        }
      }
      return false;
    }

    private static String rootCause(Throwable e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    // v1alpha still matters: grpcurl before 1.8.8 and many IDE plugins only speak it.
    @SuppressWarnings("deprecation")
    private static BindableService reflectionV1alpha() {
      return ProtoReflectionService.newInstance();
    }
  }
}
