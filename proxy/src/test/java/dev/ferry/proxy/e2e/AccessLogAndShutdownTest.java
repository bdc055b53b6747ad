package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.accesslog.AccessLogEntry;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import dev.ferry.testservers.helloworld.VoteRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AccessLogAndShutdownTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();

  /** Collects entries for the test to read. */
  static final class QueueLog implements AccessLog {
    final LinkedBlockingQueue<AccessLogEntry> entries = new LinkedBlockingQueue<>();

    @Override
    public void log(AccessLogEntry entry) {
      entries.add(entry);
    }

    @Override
    public void close() {}
  }

  @Test
  void everyCall_getsOneEntry_withStatusUpstreamAndBytes() throws Exception {
    ExampleServer greeter = fixture.example(ExampleServer.Kind.GREETER);
    QueueLog log = new QueueLog();
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(service("helloworld.Greeter", "greeter")),
                cluster("greeter", BalancePolicy.ROUND_ROBIN, greeter.address().getPort())),
            log);
    ManagedChannel ch = fixture.channel(proxy);
    GreeterGrpc.newBlockingStub(ch).sayHello(HelloRequest.newBuilder().setName("log").build());
    AccessLogEntry ok = log.entries.poll(10, TimeUnit.SECONDS);
    assertThat(ok.path()).isEqualTo("/helloworld.Greeter/SayHello");
    assertThat(ok.httpMethod()).isEqualTo("POST");
    assertThat(ok.protocol()).isEqualTo("HTTP/2");
    assertThat(ok.grpc()).isTrue();
    assertThat(ok.httpStatus()).isEqualTo(200);
    assertThat(ok.grpcStatus()).isZero();
    assertThat(ok.upstream()).isEqualTo("127.0.0.1:" + greeter.address().getPort());
    assertThat(ok.localReply()).isNull();
    assertThat(ok.bytesIn()).isPositive();
    assertThat(ok.bytesOut()).isPositive();
    assertThat(ok.client().getAddress().getHostAddress()).isEqualTo("127.0.0.1");

    catchThrowableOfType(
        StatusRuntimeException.class,
        () -> DaininkiGrpc.newBlockingStub(ch).vote(VoteRequest.newBuilder().build()));
    AccessLogEntry noRoute = log.entries.poll(10, TimeUnit.SECONDS);
    assertThat(noRoute.grpcStatus()).isEqualTo(12);
    assertThat(noRoute.localReply()).isEqualTo("no_route");
    assertThat(noRoute.upstream()).isNull();
  }

  @Test
  void gracefulShutdown_letsInFlightCallsFinish_andRefusesNewConnections() throws Exception {
    ExampleServer greeter = fixture.example(ExampleServer.Kind.GREETER);
    ProxyServer proxy =
        ProxyServer.start(
            config(
                List.of(service("helloworld.Greeter", "greeter")),
                cluster("greeter", BalancePolicy.ROUND_ROBIN, greeter.address().getPort())));
    int port = proxy.boundAddresses().get(0).getPort();
    ManagedChannel ch = fixture.channel(proxy);
    Metadata slow = new Metadata();
    slow.put(TestBackend.DELAY, "700");
    GreeterGrpc.GreeterBlockingStub stub = GreeterGrpc.newBlockingStub(ch);
    stub.sayHello(HelloRequest.newBuilder().setName("warm").build()); // connection up first
    List<CompletableFuture<HelloReply>> inFlight = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String name = "drain" + i;
      inFlight.add(
          CompletableFuture.supplyAsync(
              () ->
                  stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(slow))
                      .sayHello(HelloRequest.newBuilder().setName(name).build())));
    }
    // The calls are in the proxy once the backend has them; the access log would tell, but the
    // proxy's own counter is enough here.
    FlowControlTest.awaitTrue(() -> proxy.metrics().calls() >= 6);
    long start = System.nanoTime();
    proxy.shutdownGracefully(Duration.ofSeconds(10));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    for (int i = 0; i < 5; i++) {
      assertThat(inFlight.get(i).get(1, TimeUnit.SECONDS).getMessage())
          .isEqualTo("Hello, drain" + i + "!");
    }
    assertThat(tookMs).isLessThan(5000);
    assertThat(
            catchThrowableOfType(
                ConnectException.class, () -> new Socket("127.0.0.1", port).close()))
        .isNotNull();
  }
}
