package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.ferry.proxy.ListenFailedException;
import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.accesslog.AccessLogEntry;
import dev.ferry.proxy.accesslog.AccessLogs;
import dev.ferry.proxy.config.AccessLogConfig;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.Endpoint;
import dev.ferry.proxy.config.HealthCheckConfig;
import dev.ferry.proxy.config.HealthCheckConfig.Panic;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.config.TlsConfig;
import dev.ferry.proxy.e2e.AccessLogAndShutdownTest.QueueLog;
import dev.ferry.proxy.tls.TestPki;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import dev.ferry.testservers.helloworld.VoteReply;
import dev.ferry.testservers.helloworld.VoteRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unix domain sockets end to end: a listener on a socket file, endpoints on socket files (with
 * health checks), the access log of a socket client, and the socket file's life: a stale one
 * replaced, a live one or any other file refused, the file removed when the proxy stops.
 */
class UnixSocketTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  @TempDir Path dir;

  private ExampleServer exampleOn(ExampleServer.Kind kind, Path socket) throws Exception {
    return fixture.closeLater(ExampleServer.builder(kind).unixSocket(socket).start());
  }

  private static ClusterConfig cluster(String name, Endpoint... endpoints) {
    return ClusterConfig.builder(name, List.of(endpoints))
        .connectTimeout(Duration.ofSeconds(2))
        .dnsRefresh(Duration.ZERO)
        .build();
  }

  private static ProxyConfig config(ListenerConfig listener, ClusterConfig cluster) {
    return new ProxyConfig(
        List.of(listener), Map.of(cluster.name(), cluster), null, Duration.ofSeconds(5));
  }

  /** A grpc-java client dialling {@code socket} with gRPC's own {@code unix://} target. */
  private ManagedChannel unixChannel(Path socket) {
    ManagedChannel ch =
        Grpc.newChannelBuilder("unix://" + socket, InsecureChannelCredentials.create()).build();
    fixture.closeLater(
        () -> {
          ch.shutdownNow();
          ch.awaitTermination(5, TimeUnit.SECONDS);
        });
    return ch;
  }

  @Test
  void unixListener_toUnixEndpoint_servesGrpc_andLogsTheSocketClient() throws Exception {
    Path backend = dir.resolve("daininki.sock");
    Path front = dir.resolve("ferry.sock");
    exampleOn(ExampleServer.Kind.DAININKI, backend);
    QueueLog log = new QueueLog();
    ProxyServer proxy =
        fixture.proxy(
            config(
                ListenerConfig.builder(front, List.of(service("helloworld.Daininki", "d"))).build(),
                cluster("d", Endpoint.unix(backend, 1))),
            log);

    VoteReply reply =
        DaininkiGrpc.newBlockingStub(unixChannel(front))
            .vote(VoteRequest.newBuilder().setCandidate("ann").build());

    assertThat(reply.getServedBy()).isEqualTo("daininki@daininki.sock");
    assertThat(proxy.listenAddresses()).containsExactly(new DomainSocketAddress(front.toString()));
    assertThat(proxy.boundAddresses()).isEmpty();
    AccessLogEntry entry = log.entries.poll(10, TimeUnit.SECONDS);
    assertThat(entry.upstream()).isEqualTo("unix:" + backend);
    assertThat(entry.client()).isInstanceOf(DomainSocketAddress.class);
    assertThat(AccessLogs.line(AccessLogConfig.Format.TEXT, entry))
        .contains(" unix: \"POST /helloworld.Daininki/Vote");
    assertThat(AccessLogs.line(AccessLogConfig.Format.JSON, entry))
        .contains("\"client\":\"unix:\"");
  }

  @Test
  void tcpListener_toAHealthCheckedUnixEndpoint() throws Exception {
    Path backend = dir.resolve("greeter.sock");
    ExampleServer greeter = exampleOn(ExampleServer.Kind.GREETER, backend);
    ClusterConfig checked =
        cluster("g", Endpoint.unix(backend, 1)).toBuilder()
            .healthCheck(
                new HealthCheckConfig(
                    Duration.ofMillis(100),
                    Duration.ofSeconds(1),
                    1,
                    1,
                    0,
                    "",
                    null,
                    "/healthz",
                    Panic.CLOSED))
            .build();
    ProxyServer proxy =
        fixture.proxy(
            config(
                ListenerConfig.builder("127.0.0.1", 0, List.of(service("helloworld.Greeter", "g")))
                    .build(),
                checked));
    var stub = GreeterGrpc.newBlockingStub(fixture.channel(proxy));

    assertThat(stub.sayHello(HelloRequest.newBuilder().setName("sock").build()).getMessage())
        .isEqualTo("Hello, sock!");

    greeter.setServing(false);
    await("unix endpoint unhealthy")
        .until(
            () ->
                proxy.endpointStats().stream()
                    .anyMatch(e -> e.endpoint().equals("unix:" + backend) && !e.healthy()));
    StatusRuntimeException down =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> stub.sayHello(HelloRequest.newBuilder().setName("x").build()));
    assertThat(down.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void unixEndpointWithNoSocketFile_isUnavailable_sayingSo() throws Exception {
    Path missing = dir.resolve("absent.sock");
    ProxyServer proxy =
        fixture.proxy(
            config(
                ListenerConfig.builder("127.0.0.1", 0, List.of(service("helloworld.Greeter", "g")))
                    .build(),
                cluster("g", Endpoint.unix(missing, 1))));

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                GreeterGrpc.newBlockingStub(fixture.channel(proxy))
                    .sayHello(HelloRequest.newBuilder().setName("x").build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription())
        .contains("connect to unix:" + missing + " failed: no such socket file");
  }

  @Test
  void unixEndpointNobodyListensOn_isRefused() throws Exception {
    Path stale = staleSocket(dir.resolve("stale.sock"));
    ProxyServer proxy =
        fixture.proxy(
            config(
                ListenerConfig.builder("127.0.0.1", 0, List.of(service("helloworld.Greeter", "g")))
                    .build(),
                cluster("g", Endpoint.unix(stale, 1))));

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                GreeterGrpc.newBlockingStub(fixture.channel(proxy))
                    .sayHello(HelloRequest.newBuilder().setName("x").build()));

    assertThat(e.getStatus().getDescription())
        .contains("connect to unix:" + stale + " refused (no process listens on the socket)");
  }

  /** A socket file whose server has gone: the JDK leaves the file when its channel closes. */
  private static Path staleSocket(Path path) throws Exception {
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(path));
    }
    assertThat(path).exists();
    return path;
  }

  private ProxyConfig listeningOn(Path socket) throws Exception {
    Path backend = dir.resolve("backend.sock");
    return config(
        ListenerConfig.builder(socket, List.of(service("helloworld.Greeter", "g"))).build(),
        cluster("g", Endpoint.unix(backend, 1)));
  }

  @Test
  void staleSocketFile_isReplaced_andTheFileIsRemovedAtShutdown() throws Exception {
    Path socket = staleSocket(dir.resolve("ferry.sock"));
    exampleOn(ExampleServer.Kind.GREETER, dir.resolve("backend.sock"));

    ProxyServer proxy = ProxyServer.start(listeningOn(socket));
    try {
      assertThat(
              GreeterGrpc.newBlockingStub(unixChannel(socket))
                  .sayHello(HelloRequest.newBuilder().setName("again").build())
                  .getMessage())
          .isEqualTo("Hello, again!");
    } finally {
      proxy.shutdownGracefully(Duration.ZERO);
    }

    assertThat(socket).doesNotExist();
  }

  @Test
  void liveSocket_isRefusedAsInUse_andLeftAlone() throws Exception {
    Path socket = dir.resolve("taken.sock");
    try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      live.bind(UnixDomainSocketAddress.of(socket));

      ListenFailedException e =
          catchThrowableOfType(
              ListenFailedException.class, () -> ProxyServer.start(listeningOn(socket)));

      assertThat(e.problem()).isEqualTo(ListenFailedException.Problem.ADDRESS_IN_USE);
      assertThat(e.socket()).isEqualTo(socket);
      assertThat(e)
          .hasMessage(
              "cannot listen on unix:"
                  + socket
                  + ": the address is already in use (a process listens on the socket)");
      assertThat(socket).exists();
    }
  }

  @Test
  void anythingButASocketAtThePath_isRefusedNamingThePath() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.txt"), "keep me");
    Path directory = Files.createDirectory(dir.resolve("sub"));
    Path inMissingDirectory = dir.resolve("nowhere/ferry.sock");

    assertThat(startFailure(file))
        .isEqualTo(
            "cannot listen on unix:"
                + file
                + ": a file that is not a socket is there (ferry replaces only sockets)");
    assertThat(file).hasContent("keep me");
    assertThat(startFailure(directory))
        .isEqualTo("cannot listen on unix:" + directory + ": it is a directory");
    assertThat(startFailure(inMissingDirectory))
        .isEqualTo(
            "cannot listen on unix:"
                + inMissingDirectory
                + ": no such directory: "
                + dir.resolve("nowhere"));
  }

  private String startFailure(Path socket) {
    return catchThrowableOfType(
            ListenFailedException.class, () -> ProxyServer.start(listeningOn(socket)))
        .getMessage();
  }

  @Test
  void tlsListener_onAUnixSocket_servesAClientTrustingItsCa() throws Exception {
    TestPki.Ca ca = new TestPki(dir).ca("test");
    // grpc-java takes a unix: target's path as its authority; the client names the server.
    TestPki.Pair cert = ca.server("server", "localhost");
    Path backend = dir.resolve("greeter.sock");
    Path front = dir.resolve("ferry-tls.sock");
    exampleOn(ExampleServer.Kind.GREETER, backend);
    fixture.proxy(
        config(
            ListenerConfig.builder(front, List.of(service("helloworld.Greeter", "g")))
                .tls(TlsConfig.of(cert.cert(), cert.key()))
                .build(),
            cluster("g", Endpoint.unix(backend, 1))));
    ManagedChannel ch =
        Grpc.newChannelBuilder(
                "unix://" + front,
                TlsChannelCredentials.newBuilder().trustManager(ca.cert.toFile()).build())
            .overrideAuthority("localhost")
            .build();
    fixture.closeLater(
        () -> {
          ch.shutdownNow();
          ch.awaitTermination(5, TimeUnit.SECONDS);
        });

    assertThat(
            GreeterGrpc.newBlockingStub(ch)
                .sayHello(HelloRequest.newBuilder().setName("tls").build())
                .getMessage())
        .isEqualTo("Hello, tls!");
  }

  @Test
  void connectRetry_movesFromADeadSocketToALiveOne() throws Exception {
    Path live = dir.resolve("live.sock");
    exampleOn(ExampleServer.Kind.GREETER, live);
    ClusterConfig twoSockets =
        cluster("g", Endpoint.unix(dir.resolve("dead.sock"), 1), Endpoint.unix(live, 1)).toBuilder()
            .connectRetries(1)
            .build();
    ProxyServer proxy =
        fixture.proxy(
            config(
                ListenerConfig.builder("127.0.0.1", 0, List.of(service("helloworld.Greeter", "g")))
                    .build(),
                twoSockets));
    var stub = GreeterGrpc.newBlockingStub(fixture.channel(proxy));

    for (int i = 0; i < 4; i++) {
      assertThat(stub.sayHello(HelloRequest.newBuilder().setName("r").build()).getMessage())
          .isEqualTo("Hello, r!");
    }
  }

  @Test
  void reload_keepsTheUnixListener_andMovesACluster_fromTcpToASocket() throws Exception {
    ExampleServer tcp = fixture.example(ExampleServer.Kind.DAININKI);
    Path socket = dir.resolve("daininki.sock");
    exampleOn(ExampleServer.Kind.DAININKI, socket);
    Path front = dir.resolve("ferry.sock");
    ListenerConfig listener =
        ListenerConfig.builder(front, List.of(service("helloworld.Daininki", "d"))).build();
    ProxyServer proxy =
        fixture.proxy(
            config(listener, cluster("d", Endpoint.tcp("127.0.0.1", tcp.address().getPort(), 1))));
    var stub = DaininkiGrpc.newBlockingStub(unixChannel(front));
    VoteRequest vote = VoteRequest.newBuilder().setCandidate("ann").build();
    assertThat(stub.vote(vote).getServedBy()).isEqualTo(tcp.id());

    String changed = proxy.reload(config(listener, cluster("d", Endpoint.unix(socket, 1))));

    assertThat(changed).contains("clusters replaced [d]");
    assertThat(stub.vote(vote).getServedBy()).isEqualTo("daininki@daininki.sock");
  }
}
