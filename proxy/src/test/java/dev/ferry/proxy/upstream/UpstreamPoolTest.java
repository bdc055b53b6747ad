package dev.ferry.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.Endpoint;
import dev.ferry.testservers.RefusedPort;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The upstream pools on real loopback sockets: how calls get a connection, share it, open another
 * at the backend's stream limit, leave one the backend sent away, and how a retired cluster closes.
 */
class UpstreamPoolTest {
  private final EventLoopGroup clientGroup =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoopGroup serverGroup =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoop loop = clientGroup.next();
  private final UpstreamConnector connector = new UpstreamConnector(loop, NioSocketChannel.class);
  private final ScheduledExecutorService dns = Executors.newSingleThreadScheduledExecutor();
  private final List<AutoCloseable> closeLater = new ArrayList<>();
  private final List<UpstreamEndpoint> endpoints = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    onLoop(
        () -> {
          endpoints.forEach(e -> e.closeAll(UpstreamFailure.draining("the test ended")));
          return null;
        });
    for (AutoCloseable c : closeLater) {
      c.close();
    }
    dns.shutdownNow();
    clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private RawH2Backend backend(int maxConcurrentStreams) throws InterruptedException {
    RawH2Backend b = RawH2Backend.start(serverGroup, maxConcurrentStreams);
    closeLater.add(b);
    return b;
  }

  private UpstreamEndpoint endpoint(int port, int connectTimeoutMillis) {
    EndpointAddress a =
        new EndpointAddress(Endpoint.tcp("127.0.0.1", port, 1), InetAddress::getByName);
    a.resolve();
    UpstreamEndpoint e =
        new UpstreamEndpoint(
            a, connector, new ConnectSettings(connectTimeoutMillis, false, null, null));
    endpoints.add(e);
    return e;
  }

  private <T> T onLoop(Callable<T> task) throws Exception {
    return loop.submit(task).get(10, TimeUnit.SECONDS);
  }

  /** Acquires on the loop; the future completes when the pool answers. */
  private CompletableFuture<Upstream> acquire(UpstreamEndpoint e) throws Exception {
    return onLoop(() -> acquireOnLoop(e));
  }

  private static CompletableFuture<Upstream> acquireOnLoop(UpstreamEndpoint e) {
    Acquisition a = new Acquisition();
    e.acquire(a);
    return a.result;
  }

  private static Upstream await(CompletableFuture<Upstream> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  /** Opens a stream that stays open (the backend never answers); returns its id or -1. */
  private int openStream(Upstream u, StreamEvents events) throws Exception {
    Http2Headers h =
        new DefaultHttp2Headers()
            .method("POST")
            .scheme("http")
            .authority("backend")
            .path("/helloworld.Greeter/SayHello");
    return onLoop(() -> u.open(h, false, events));
  }

  @Test
  void secondCall_reusesTheReadyConnection() throws Exception {
    RawH2Backend b = backend(100);
    UpstreamEndpoint e = endpoint(b.port(), 5000);

    Upstream first = await(acquire(e));
    assertThat(openStream(first, new StreamEvents())).isPositive();
    Upstream second = await(acquire(e));

    assertThat(second).isSameAs(first);
    assertThat(onLoop(e::connectionCount)).isEqualTo(1);
  }

  @Test
  void callsArrivingWhileConnecting_waitForTheOneConnection() throws Exception {
    RawH2Backend b = backend(100);
    UpstreamEndpoint e = endpoint(b.port(), 5000);

    List<CompletableFuture<Upstream>> waiting =
        onLoop(() -> List.of(acquireOnLoop(e), acquireOnLoop(e), acquireOnLoop(e)));

    assertThat(onLoop(e::connectionCount)).isEqualTo(1);
    Upstream u = await(waiting.get(0));
    assertThat(await(waiting.get(1))).isSameAs(u);
    assertThat(await(waiting.get(2))).isSameAs(u);
  }

  @Test
  void tooManyCallsWaitingOnOneConnection_openAnother() throws Exception {
    RawH2Backend b = backend(1000);
    UpstreamEndpoint e = endpoint(b.port(), 5000);

    List<CompletableFuture<Upstream>> waiting =
        onLoop(
            () -> {
              List<CompletableFuture<Upstream>> all = new ArrayList<>();
              for (int i = 0; i <= UpstreamEndpoint.CALLS_PER_CONNECTING; i++) {
                all.add(acquireOnLoop(e));
              }
              return all;
            });

    assertThat(onLoop(e::connectionCount)).isEqualTo(2);
    Set<Upstream> distinct = new java.util.HashSet<>();
    for (CompletableFuture<Upstream> f : waiting) {
      distinct.add(await(f));
    }
    assertThat(distinct).hasSize(2);
  }

  @Test
  void backendStreamLimitReached_opensASecondConnection() throws Exception {
    RawH2Backend b = backend(1);
    UpstreamEndpoint e = endpoint(b.port(), 5000);

    Upstream first = await(acquire(e));
    assertThat(openStream(first, new StreamEvents())).isPositive();
    assertThat(openStream(first, new StreamEvents())).as("over the limit").isEqualTo(-1);
    Upstream second = await(acquire(e));

    assertThat(second).isNotSameAs(first);
    assertThat(onLoop(e::connectionCount)).isEqualTo(2);
    assertThat(openStream(second, new StreamEvents())).isPositive();
  }

  @Test
  void goAwayFromBackend_refusesNewerStreams_andTheNextCallGetsANewConnection() throws Exception {
    RawH2Backend b = backend(100);
    UpstreamEndpoint e = endpoint(b.port(), 5000);
    Upstream first = await(acquire(e));
    Channel firstOnBackend = b.nextAccepted();
    StreamEvents stream = new StreamEvents();
    assertThat(openStream(first, stream)).isPositive();

    RawH2Backend.goAway(firstOnBackend, 0);

    assertThat(stream.failed.get(10, TimeUnit.SECONDS)).as("refused").isTrue();
    assertThat(onLoop(e::connectionCount)).isZero();
    Upstream next = await(acquire(e));
    assertThat(next).isNotSameAs(first);
    assertThat(b.nextAccepted()).isNotSameAs(firstOnBackend);
  }

  @Test
  void refusedConnect_failsTheCall_andThePickPassesTheEndpointOver() throws Exception {
    RefusedPort refusing = RefusedPort.open();
    closeLater.add(refusing);
    int closedPort = refusing.port();
    RawH2Backend live = backend(100);
    UpstreamCluster cluster = cluster(0, closedPort, live.port());
    UpstreamEndpoint dead = cluster.endpoints().get(0);

    CompletableFuture<Upstream> failed = acquire(dead);

    assertThatThrownBy(() -> await(failed)).isInstanceOf(ExecutionException.class);
    assertThat(onLoop(dead::isConnectEjected)).isTrue();
    for (int i = 0; i < 4; i++) {
      assertThat(onLoop(() -> cluster.pick(new DefaultHttp2Headers(), Set.of(), false)))
          .isSameAs(cluster.endpoints().get(1));
    }
  }

  @Test
  void backendSilentAfterConnect_failsTheWaitingCallsAtTheConnectTimeout() throws Exception {
    RawH2Backend silent = backend(-1);
    UpstreamEndpoint e = endpoint(silent.port(), 50);

    CompletableFuture<Upstream> f = acquire(e);

    assertThatThrownBy(() -> await(f))
        .hasCauseInstanceOf(IOException.class)
        .hasMessageContaining("no HTTP/2 settings");
    assertThat(onLoop(e::connectionCount)).isZero();
  }

  @Test
  void inFlightCap_isSharedByEveryLoopsView() throws Exception {
    SharedCluster shared =
        SharedCluster.start(
            ClusterConfig.builder("c", List.of(Endpoint.tcp("127.0.0.1", 1, 1)))
                .dnsRefresh(Duration.ZERO)
                .maxInFlight(2)
                .build(),
            null,
            dns);
    UpstreamCluster a = shared.forLoop(connector);
    UpstreamCluster b = shared.forLoop(connector);

    assertThat(a.tryStartCall()).isTrue();
    assertThat(b.tryStartCall()).isTrue();
    assertThat(a.tryStartCall()).isFalse();
    b.callFinished();
    assertThat(a.tryStartCall()).isTrue();
  }

  @Test
  void retiredCluster_closesItsConnectionsOnceItsLastCallEnds() throws Exception {
    RawH2Backend b = backend(100);
    UpstreamCluster cluster = cluster(0, b.port());
    UpstreamEndpoint e = cluster.endpoints().get(0);
    await(acquire(e));
    Channel onBackend = b.nextAccepted();
    onLoop(
        () -> {
          e.callStarted();
          ClusterRetirement.closeWhenIdle(cluster, loop, Duration.ofHours(1));
          return null;
        });
    // Scheduled after the retirement's first check, so it runs once that check has seen the call.
    loop.schedule(() -> null, 0, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS);
    assertThat(onBackend.isActive()).as("open while a call uses it").isTrue();

    onLoop(
        () -> {
          e.callEnded();
          return null;
        });

    assertThat(onBackend.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void retiredCluster_closesAtTheDrainTimeoutEvenWithCallsRunning() throws Exception {
    RawH2Backend b = backend(100);
    UpstreamCluster cluster = cluster(0, b.port());
    UpstreamEndpoint e = cluster.endpoints().get(0);
    await(acquire(e));
    Channel onBackend = b.nextAccepted();

    onLoop(
        () -> {
          e.callStarted();
          ClusterRetirement.closeWhenIdle(cluster, loop, Duration.ZERO);
          return null;
        });

    assertThat(onBackend.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
    onLoop(
        () -> {
          e.callEnded();
          return null;
        });
  }

  private UpstreamCluster cluster(int retries, int... ports) {
    List<Endpoint> eps = new ArrayList<>();
    for (int p : ports) {
      eps.add(Endpoint.tcp("127.0.0.1", p, 1));
    }
    SharedCluster shared =
        SharedCluster.start(
            ClusterConfig.builder("c", eps)
                .connectRetries(retries)
                .connectTimeout(Duration.ofSeconds(5))
                .dnsRefresh(Duration.ZERO)
                .build(),
            null,
            dns);
    UpstreamCluster c = shared.forLoop(connector);
    endpoints.addAll(c.endpoints());
    return c;
  }

  /** What the pool told one call. */
  private static final class Acquisition implements ConnectCallback {
    final CompletableFuture<Upstream> result = new CompletableFuture<>();

    @Override
    public void onUpstreamReady(Upstream upstream) {
      result.complete(upstream);
    }

    @Override
    public void onConnectFailed(UpstreamFailure failure) {
      result.completeExceptionally(new IOException(failure.detail()));
    }
  }

  /** What happened to one stream; the backend never answers, so only failures arrive. */
  private static final class StreamEvents implements UpstreamListener {
    /** Completes with whether the stream was refused (never processed). */
    final CompletableFuture<Boolean> failed = new CompletableFuture<>();

    @Override
    public void onResponseHeaders(Http2Headers headers, boolean endStream) {}

    @Override
    public void onResponseData(ByteBuf data, boolean endStream) {
      data.release();
    }

    @Override
    public void onUpstreamFailed(UpstreamFailure failure) {
      failed.complete(failure.kind() == UpstreamFailure.Kind.STREAM_REFUSED);
    }
  }
}
