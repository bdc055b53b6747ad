package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.RouteMatch;
import dev.ferry.testservers.helloworld.ChatMessage;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CancelAndDeadlineTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private TestBackend backend;
  private ProxyServer proxy;
  private ManagedChannel channel;

  @BeforeEach
  void setUp() throws Exception {
    backend = fixture.backend();
    proxy =
        fixture.proxy(
            config(
                List.of(
                    route(
                        new RouteMatch(null, "helloworld.Greeter/SayHello", null, null, List.of()),
                        "c",
                        Duration.ofMillis(300)),
                    route(
                        new RouteMatch(null, null, "/", null, List.of()),
                        "c",
                        Duration.ofSeconds(30))),
                cluster("c", BalancePolicy.ROUND_ROBIN, backend.port())));
    channel = fixture.channel(proxy);
  }

  @Test
  void clientCancel_resetsTheBackendStream() throws Exception {
    LinkedBlockingQueue<Object> got = new LinkedBlockingQueue<>();
    ClientCallStreamObserver<ChatMessage> req =
        (ClientCallStreamObserver<ChatMessage>) DaininkiGrpc.newStub(channel).chat(collect(got));
    req.onNext(ChatMessage.newBuilder().setText("hi").build());
    assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("hi");
    req.cancel("test cancels", null);
    assertThat(backend.cancelled.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void routeCap_endsSlowCallWithDeadlineExceededFromProxy() {
    Metadata md = new Metadata();
    md.put(TestBackend.DELAY, "3000");
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                GreeterGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                    .sayHello(HelloRequest.newBuilder().setName("slow").build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(e.getStatus().getDescription()).contains("deadline of 300ms exceeded");
    assertThat(e.getTrailers().get(GrpcCallShapesTest.LOCAL_REPLY)).isEqualTo("deadline_exceeded");
  }

  @Test
  void clientDeadline_reachesBackendAsRemainingTime() {
    GreeterGrpc.newBlockingStub(channel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .sayHelloAgain(HelloRequest.newBuilder().setName("a").build());
    assertThat(backend.seenDeadlines.poll()).isBetween(1L, 5000L);
  }

  @Test
  void noClientDeadline_getsTheRouteCap() {
    GreeterGrpc.newBlockingStub(channel)
        .sayHelloAgain(HelloRequest.newBuilder().setName("a").build());
    assertThat(backend.seenDeadlines.poll()).isBetween(20_000L, 30_000L);
  }

  @Test
  void clientDeadlineLongerThanCap_isCapped() {
    GreeterGrpc.newBlockingStub(channel)
        .withDeadlineAfter(1, TimeUnit.HOURS)
        .sayHelloAgain(HelloRequest.newBuilder().setName("a").build());
    assertThat(backend.seenDeadlines.poll()).isBetween(20_000L, 30_000L);
  }

  @Test
  void backendKilledMidStream_failsThatCall_andLaterCallsGetUnavailable() throws Exception {
    LinkedBlockingQueue<Object> got = new LinkedBlockingQueue<>();
    StreamObserver<ChatMessage> req = DaininkiGrpc.newStub(channel).chat(collect(got));
    req.onNext(ChatMessage.newBuilder().setText("hi").build());
    assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("hi");
    backend.close();
    Object end = got.poll(10, TimeUnit.SECONDS);
    assertThat(end).isInstanceOf(StatusRuntimeException.class);
    StatusRuntimeException e = (StatusRuntimeException) end;
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).startsWith("ferry: cluster 'c': 127.0.0.1:");
    assertThat(e.getTrailers().get(GrpcCallShapesTest.LOCAL_REPLY)).isEqualTo("upstream_reset");
    // The next call finds no backend: a local reply, not a hang.
    StatusRuntimeException next =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                GreeterGrpc.newBlockingStub(channel)
                    .sayHelloAgain(HelloRequest.newBuilder().build()));
    assertThat(next.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(next.getTrailers().get(GrpcCallShapesTest.LOCAL_REPLY)).isEqualTo("connect_failed");
  }

  @Test
  void backendGoneBeforeAnswering_getsUnavailableMarkedUpstreamReset() throws Exception {
    Metadata md = new Metadata();
    md.put(TestBackend.DELAY, "5000");
    java.util.concurrent.CompletableFuture<Object> result =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                catchThrowableOfType(
                    StatusRuntimeException.class,
                    () ->
                        GreeterGrpc.newBlockingStub(channel)
                            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                            .sayHelloAgain(HelloRequest.newBuilder().setName("x").build())));
    // The backend has the call (it records headers on arrival), then dies before answering.
    assertThat(backend.callArrived.await(10, TimeUnit.SECONDS)).isTrue();
    backend.close();
    StatusRuntimeException e = (StatusRuntimeException) result.get(10, TimeUnit.SECONDS);
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).startsWith("ferry: cluster 'c': 127.0.0.1:");
    assertThat(e.getTrailers().get(GrpcCallShapesTest.LOCAL_REPLY)).isEqualTo("upstream_reset");
  }

  static StreamObserver<ChatMessage> collect(LinkedBlockingQueue<Object> got) {
    return new StreamObserver<>() {
      @Override
      public void onNext(ChatMessage m) {
        got.add(m.getText());
      }

      @Override
      public void onError(Throwable t) {
        got.add(t);
      }

      @Override
      public void onCompleted() {
        got.add("END");
      }
    };
  }
}
