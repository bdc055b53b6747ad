package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.accesslog.AccessLogEntry;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import dev.ferry.testservers.helloworld.VoteRequest;
import dev.ferry.testservers.helloworld.VoteTally;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
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
    assertThat(((InetSocketAddress) ok.client()).getAddress().getHostAddress())
        .isEqualTo("127.0.0.1");

    catchThrowableOfType(
        StatusRuntimeException.class,
        () -> DaininkiGrpc.newBlockingStub(ch).vote(VoteRequest.newBuilder().build()));
    AccessLogEntry noRoute = log.entries.poll(10, TimeUnit.SECONDS);
    assertThat(noRoute.grpcStatus()).isEqualTo(12);
    assertThat(noRoute.localReply()).isEqualTo("no_route");
    assertThat(noRoute.upstream()).isNull();
  }

  @Test
  void gracefulShutdown_endsWhenInFlightCallsFinish_andRefusesNewConnections() throws Exception {
    TestBackend backend = fixture.backend();
    // Started here, not by the fixture: the test shuts it down itself (closing it again is a
    // no-op).
    ProxyServer proxy =
        fixture.closeLater(
            ProxyServer.start(
                config(
                    List.of(service("helloworld.Daininki", "d")),
                    cluster("d", BalancePolicy.ROUND_ROBIN, backend.port()))));
    int port = proxy.boundAddresses().get(0).getPort();
    // A call the backend holds, unanswered, until the test lets it read.
    Metadata hold = new Metadata();
    hold.put(TestBackend.HOLD, "1");
    CompletableFuture<VoteTally> tally = new CompletableFuture<>();
    StreamObserver<VoteRequest> votes =
        DaininkiGrpc.newStub(fixture.channel(proxy))
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(hold))
            .bulkVote(completing(tally));
    votes.onNext(VoteRequest.newBuilder().setCandidate("drain").build());
    votes.onCompleted();
    ServerCallStreamObserver<?> held = backend.held.get(10, TimeUnit.SECONDS);

    // Far longer than the test waits for anything: if shutdown ends, the call's end ended it.
    CompletableFuture<Void> shutdown =
        CompletableFuture.runAsync(
            () -> {
              try {
                proxy.shutdownGracefully(Duration.ofHours(1));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    await("the listener refusing new connections").until(() -> !connects(port));
    assertThat(shutdown).isNotDone();
    assertThat(tally).isNotDone();

    held.request(Integer.MAX_VALUE);

    assertThat(tally.get(10, TimeUnit.SECONDS).getVotesMap()).containsEntry("drain", 1L);
    shutdown.get(10, TimeUnit.SECONDS);
    assertThat(connects(port)).isFalse();
  }

  private static boolean connects(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static StreamObserver<VoteTally> completing(CompletableFuture<VoteTally> into) {
    return new StreamObserver<>() {
      @Override
      public void onNext(VoteTally t) {
        into.complete(t);
      }

      @Override
      public void onError(Throwable t) {
        into.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    };
  }
}
