package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.transport.Http2Tuning;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import dev.ferry.testservers.helloworld.VoteRequest;
import dev.ferry.testservers.helloworld.VoteTally;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FlowControlTest {
  static final long FLOOD = 32L << 20;
  static final int CLIENT_WINDOW = 64 << 10;

  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();

  @Test
  void slowClient_makesProxyHoldAtMostAStreamWindow_andTheBackendWait() throws Exception {
    TestBackend backend = fixture.backend();
    ProxyServer proxy =
        fixture.proxy(
            config(
                java.util.List.of(service("helloworld.Greeter", "greeter")),
                cluster("greeter", BalancePolicy.ROUND_ROBIN, backend.port())));
    // A client with a small fixed window that asks for no message until told to.
    ManagedChannel ch =
        NettyChannelBuilder.forAddress("127.0.0.1", proxy.boundAddresses().get(0).getPort())
            .usePlaintext()
            .flowControlWindow(CLIENT_WINDOW)
            .build();
    fixture.closeLater(
        () -> {
          ch.shutdownNow();
          ch.awaitTermination(5, TimeUnit.SECONDS);
        });
    Metadata md = new Metadata();
    md.put(TestBackend.FLOOD, Long.toString(FLOOD));
    AtomicReference<ClientCallStreamObserver<HelloRequest>> call = new AtomicReference<>();
    AtomicLong received = new AtomicLong();
    CompletableFuture<Void> done = new CompletableFuture<>();
    GreeterGrpc.newStub(ch)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
        .sayHelloStreamReply(
            HelloRequest.newBuilder().setName("slow").build(),
            new ClientResponseObserver<HelloRequest, HelloReply>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<HelloRequest> requestStream) {
                requestStream.disableAutoRequestWithInitial(0);
                call.set(requestStream);
              }

              @Override
              public void onNext(HelloReply r) {
                received.addAndGet(r.getMessage().length());
              }

              @Override
              public void onError(Throwable t) {
                done.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                done.complete(null);
              }
            });

    // The proxy fills its window towards the backend, then the backend must wait.
    assertThat(backend.floodBlocked.await(10, TimeUnit.SECONDS)).isTrue();
    await()
        .until(() -> proxy.meters().buffered().held() >= Http2Tuning.STREAM_WINDOW - CLIENT_WINDOW);
    long sentWhileStalled = backend.floodSent.get();
    assertThat(proxy.meters().buffered().held())
        .isLessThanOrEqualTo(Http2Tuning.STREAM_WINDOW + CLIENT_WINDOW);
    assertThat(sentWhileStalled).isLessThan(4L << 20);

    // Once the client reads, every byte arrives, and the proxy never held more than a window.
    call.get().request(Integer.MAX_VALUE);
    done.get(60, TimeUnit.SECONDS);
    assertThat(received.get()).isEqualTo(FLOOD);
    await().until(() -> proxy.meters().buffered().held() == 0);
    assertThat(proxy.meters().buffered().callPeak())
        .isLessThanOrEqualTo(Http2Tuning.STREAM_WINDOW + 2L * CLIENT_WINDOW);
  }

  @Test
  void slowBackend_makesProxyHoldAtMostAStreamWindow_andTheClientWait() throws Exception {
    TestBackend backend = fixture.backend();
    ProxyServer proxy =
        fixture.proxy(
            config(
                java.util.List.of(service("helloworld.Daininki", "d")),
                cluster("d", BalancePolicy.ROUND_ROBIN, backend.port())));
    Metadata md = new Metadata();
    md.put(TestBackend.HOLD, "1");
    String candidate = "c".repeat(64 << 10);
    long total = 32L << 20;
    AtomicLong sent = new AtomicLong();
    CountDownLatch clientBlocked = new CountDownLatch(1);
    CompletableFuture<VoteTally> tally = new CompletableFuture<>();
    DaininkiGrpc.newStub(fixture.channel(proxy))
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
        .bulkVote(
            new ClientResponseObserver<VoteRequest, VoteTally>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<VoteRequest> requests) {
                VoteRequest vote = VoteRequest.newBuilder().setCandidate(candidate).build();
                boolean[] done = {false};
                requests.setOnReadyHandler(
                    () -> {
                      while (!done[0] && requests.isReady()) {
                        if (sent.get() >= total) {
                          done[0] = true;
                          requests.onCompleted();
                          return;
                        }
                        requests.onNext(vote);
                        sent.addAndGet(candidate.length());
                      }
                      if (!done[0]) {
                        clientBlocked.countDown();
                      }
                    });
              }

              @Override
              public void onNext(VoteTally t) {
                tally.complete(t);
              }

              @Override
              public void onError(Throwable t) {
                tally.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {}
            });

    ServerCallStreamObserver<?> backendCall = backend.held.get(10, TimeUnit.SECONDS);
    assertThat(clientBlocked.await(10, TimeUnit.SECONDS)).isTrue();
    await().until(() -> proxy.meters().buffered().held() >= Http2Tuning.STREAM_WINDOW / 2);
    assertThat(proxy.meters().buffered().held())
        .isLessThanOrEqualTo(Http2Tuning.STREAM_WINDOW + CLIENT_WINDOW);
    assertThat(sent.get()).isLessThan(6L << 20);

    backendCall.request(Integer.MAX_VALUE);
    VoteTally t = tally.get(60, TimeUnit.SECONDS);
    assertThat(t.getTotal()).isEqualTo(total / candidate.length());
    assertThat(proxy.meters().buffered().callPeak())
        .isLessThanOrEqualTo(Http2Tuning.STREAM_WINDOW + 2L * CLIENT_WINDOW);
  }
}
