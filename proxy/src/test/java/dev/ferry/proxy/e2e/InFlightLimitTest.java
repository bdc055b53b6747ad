package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.Endpoint;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A cluster's max_in_flight: calls beyond fail fast with UNAVAILABLE, and slots come back. */
class InFlightLimitTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();

  @Test
  void callBeyondMaxInFlight_failsAtOnce_andPassesWhenASlotIsFree() throws Exception {
    ExampleServer greeter = fixture.example(ExampleServer.Kind.GREETER);
    ClusterConfig c =
        ClusterConfig.builder(
                "greeter", List.of(Endpoint.tcp("127.0.0.1", greeter.address().getPort(), 1)))
            .connectTimeout(Duration.ofSeconds(2))
            .connectRetries(0)
            .dnsRefresh(Duration.ZERO)
            .maxInFlight(2)
            .build();
    var log = new AccessLogAndShutdownTest.QueueLog();
    ProxyServer proxy =
        fixture.proxy(config(List.of(service("helloworld.Greeter", "greeter")), c), log);
    ManagedChannel ch = fixture.channel(proxy);
    Metadata slow = new Metadata();
    slow.put(Metadata.Key.of("x-stream-count", Metadata.ASCII_STRING_MARSHALLER), "2");
    slow.put(Metadata.Key.of("x-stream-interval-ms", Metadata.ASCII_STRING_MARSHALLER), "60000");
    var streaming =
        GreeterGrpc.newStub(ch).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(slow));
    CountDownLatch firstMessages = new CountDownLatch(2);
    Context.CancellableContext holders = Context.current().withCancellation();
    holders.run(
        () -> {
          for (int i = 0; i < 2; i++) {
            streaming.sayHelloStreamReply(
                HelloRequest.newBuilder().setName("hold").build(),
                new StreamObserver<HelloReply>() {
                  @Override
                  public void onNext(HelloReply value) {
                    firstMessages.countDown();
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {}
                });
          }
        });
    assertThat(firstMessages.await(10, TimeUnit.SECONDS)).isTrue();
    var blocking = GreeterGrpc.newBlockingStub(ch);

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                blocking
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .sayHello(HelloRequest.newBuilder().setName("third").build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("ferry: cluster 'greeter' has its maximum of 2 calls in flight (max_in_flight)");
    assertThat(e.getTrailers().get(RouteGuardTest.LOCAL_REPLY)).isEqualTo("overloaded");
    // The two holders are still streaming: the refused call's line is the first.
    EndReasonsTest.assertLogged(
        log.entries.poll(20, TimeUnit.SECONDS), "overloaded", e.getStatus().getDescription());

    holders.cancel(null);
    // The cancels travel to the proxy as RST_STREAM; the slots are free once it read them.
    String answer = await().until(() -> sayHelloUnlessBusy(blocking, "later"), a -> a != null);
    assertThat(answer).isEqualTo("Hello, later!");
  }

  /** The greeting, or {@code null} when the proxy still counts the cluster full. */
  private static String sayHelloUnlessBusy(GreeterGrpc.GreeterBlockingStub stub, String name) {
    try {
      return stub.withDeadlineAfter(10, TimeUnit.SECONDS)
          .sayHello(HelloRequest.newBuilder().setName(name).build())
          .getMessage();
    } catch (StatusRuntimeException busy) {
      assertThat(busy.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      return null;
    }
  }
}
