package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.clusterWithRetries;
import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.admin.PrometheusText;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.Endpoint;
import dev.ferry.proxy.config.HealthCheckConfig;
import dev.ferry.proxy.config.RetryPolicy;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.e2e.FailingGreeter.Shape;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Retries after a gRPC status, on real backends of which one fails. */
class RetryTest {
  // Round robin sends every call's first try to the failing endpoint here, so only a budget of
  // 100% lets every call retry; the budget has its own test.
  private static final RetryPolicy RETRY_UNAVAILABLE =
      new RetryPolicy(Set.of(14), 3, Duration.ofMillis(1), Duration.ofMillis(5), 100);
  private static final RetryPolicy RETRY_WITH_BUDGET =
      new RetryPolicy(Set.of(14), 3, Duration.ofMillis(1), Duration.ofMillis(5), 20);

  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();

  private ProxyServer proxy(RouteConfig route, int... ports) throws Exception {
    return fixture.proxy(
        config(List.of(route), clusterWithRetries("g", BalancePolicy.ROUND_ROBIN, 0, ports)));
  }

  private static String hello(GreeterGrpc.GreeterBlockingStub stub, String name) {
    return stub.withDeadlineAfter(10, TimeUnit.SECONDS)
        .sayHello(HelloRequest.newBuilder().setName(name).build())
        .getMessage();
  }

  @ParameterizedTest
  @EnumSource(
      value = Shape.class,
      names = {"TRAILERS_ONLY", "HEADERS_THEN_TRAILERS"})
  void unavailableOnOneEndpoint_isRetriedOnTheOther_whenTheRouteAllows(Shape shape)
      throws Exception {
    FailingGreeter bad =
        fixture
            .closeLater(FailingGreeter.start(Status.UNAVAILABLE.withDescription("down")))
            .shape(shape);
    FailingGreeter good = fixture.closeLater(FailingGreeter.start(null));
    ProxyServer proxy =
        proxy(
            service("helloworld.Greeter", "g").withRetry(RETRY_UNAVAILABLE),
            bad.port(),
            good.port());
    var stub = GreeterGrpc.newBlockingStub(fixture.channel(proxy));

    for (int i = 0; i < 10; i++) {
      assertThat(hello(stub, "n" + i)).isEqualTo("Hello, n" + i + "!");
    }
    assertThat(bad.calls()).isPositive();
    assertThat(good.calls()).isEqualTo(10);
    assertThat(retries(proxy)).isEqualTo(bad.calls());
  }

  @Test
  void retry_neverGoesToAnEndpointHealthChecksHoldDown_andTheClientGetsTheBackendsAnswer()
      throws Exception {
    ExampleServer live = fixture.example(ExampleServer.Kind.GREETER);
    int dead = fixture.refusedPort();
    ClusterConfig cluster =
        ClusterConfig.builder(
                "g",
                List.of(
                    Endpoint.tcp("127.0.0.1", live.address().getPort(), 1),
                    Endpoint.tcp("127.0.0.1", dead, 1)))
            .balance(BalancePolicy.ROUND_ROBIN, null)
            .connectTimeout(Duration.ofSeconds(2))
            .dnsRefresh(Duration.ZERO)
            .healthCheck(
                new HealthCheckConfig(
                    Duration.ofMillis(100),
                    Duration.ofSeconds(1),
                    1,
                    1,
                    0,
                    "",
                    null,
                    null,
                    HealthCheckConfig.Panic.OPEN))
            .build();
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(service("helloworld.Greeter", "g").withRetry(RETRY_UNAVAILABLE)), cluster));
    String deadName = "127.0.0.1:" + dead;
    await(deadName + " unhealthy")
        .until(
            () ->
                proxy.endpointStats().stream()
                    .anyMatch(e -> e.endpoint().equals(deadName) && !e.healthy()));
    Metadata fail = new Metadata();
    fail.put(Metadata.Key.of("x-fail-status", Metadata.ASCII_STRING_MARSHALLER), "14");
    fail.put(
        Metadata.Key.of("x-fail-message", Metadata.ASCII_STRING_MARSHALLER), "backend says no");
    var stub =
        GreeterGrpc.newBlockingStub(fixture.channel(proxy))
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(fail));

    for (int i = 0; i < 3; i++) {
      StatusRuntimeException e =
          catchThrowableOfType(StatusRuntimeException.class, () -> hello(stub, "x"));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.getStatus().getDescription()).isEqualTo("backend says no");
      assertThat(e.getTrailers().containsKey(LOCAL_REPLY)).isFalse();
    }
  }

  private static final Metadata.Key<String> LOCAL_REPLY =
      Metadata.Key.of("ferry-local-reply", Metadata.ASCII_STRING_MARSHALLER);

  @Test
  void aStreamingRequest_isReplayedOnTheOtherEndpoint_andGoesOnThere() throws Exception {
    FailingGreeter bad = fixture.closeLater(FailingGreeter.start(Status.UNAVAILABLE));
    FailingGreeter good = fixture.closeLater(FailingGreeter.start(null));
    ProxyServer proxy =
        proxy(
            service("helloworld.Greeter", "g").withRetry(RETRY_UNAVAILABLE),
            bad.port(),
            good.port());
    var stub = GreeterGrpc.newStub(fixture.channel(proxy));
    for (int call = 0; call < 4; call++) {
      List<String> replies = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.concurrent.CompletableFuture<Void> done =
          new java.util.concurrent.CompletableFuture<>();
      var requests =
          stub.withDeadlineAfter(10, TimeUnit.SECONDS)
              .sayHelloBidiStream(
                  new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(dev.ferry.testservers.helloworld.HelloReply r) {
                      replies.add(r.getMessage());
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
      for (String name : List.of("a", "b", "c")) {
        requests.onNext(HelloRequest.newBuilder().setName(name).build());
      }
      requests.onCompleted();
      done.get(10, TimeUnit.SECONDS);
      assertThat(replies).containsExactly("Hello, a!", "Hello, b!", "Hello, c!");
    }
    assertThat(bad.calls()).isPositive();
    assertThat(good.calls()).isEqualTo(4);
  }

  @Test
  void unavailableOnOneEndpoint_reachesTheClient_whenTheRouteDoesNotRetry() throws Exception {
    FailingGreeter bad =
        fixture.closeLater(FailingGreeter.start(Status.UNAVAILABLE.withDescription("down")));
    FailingGreeter good = fixture.closeLater(FailingGreeter.start(null));
    ProxyServer proxy = proxy(service("helloworld.Greeter", "g"), bad.port(), good.port());
    var stub = GreeterGrpc.newBlockingStub(fixture.channel(proxy));

    int failed = 0;
    for (int i = 0; i < 10; i++) {
      try {
        hello(stub, "n");
      } catch (StatusRuntimeException e) {
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(e.getStatus().getDescription()).isEqualTo("down");
        failed++;
      }
    }
    assertThat(failed).isEqualTo(bad.calls()).isPositive();
    assertThat(good.calls() + bad.calls()).isEqualTo(10);
  }

  @Test
  void statusNotListed_isNotRetried() throws Exception {
    FailingGreeter bad =
        fixture.closeLater(FailingGreeter.start(Status.INTERNAL.withDescription("bug")));
    ProxyServer proxy =
        proxy(service("helloworld.Greeter", "g").withRetry(RETRY_UNAVAILABLE), bad.port());
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> hello(GreeterGrpc.newBlockingStub(fixture.channel(proxy)), "n"));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(bad.calls()).isEqualTo(1);
  }

  @Test
  void afterAMessageReachedTheClient_theCallIsNeverRetried() throws Exception {
    FailingGreeter bad =
        fixture
            .closeLater(FailingGreeter.start(Status.UNAVAILABLE.withDescription("midway")))
            .shape(Shape.AFTER_ONE_MESSAGE);
    FailingGreeter good = fixture.closeLater(FailingGreeter.start(null));
    ProxyServer proxy =
        proxy(
            service("helloworld.Greeter", "g").withRetry(RETRY_UNAVAILABLE),
            bad.port(),
            good.port());
    var stub = GreeterGrpc.newBlockingStub(fixture.channel(proxy));
    int failed = 0;
    for (int i = 0; i < 6; i++) {
      try {
        hello(stub, "n");
      } catch (StatusRuntimeException e) {
        assertThat(e.getStatus().getDescription()).isEqualTo("midway");
        failed++;
      }
    }
    assertThat(failed).isEqualTo(bad.calls()).isPositive();
    assertThat(retries(proxy)).isZero();
  }

  @Test
  void aFailingCluster_getsNoMoreRetriesThanTheBudget() throws Exception {
    FailingGreeter bad1 = fixture.closeLater(FailingGreeter.start(Status.UNAVAILABLE));
    FailingGreeter bad2 = fixture.closeLater(FailingGreeter.start(Status.UNAVAILABLE));
    ProxyServer proxy =
        proxy(
            service("helloworld.Greeter", "g").withRetry(RETRY_WITH_BUDGET),
            bad1.port(),
            bad2.port());
    var stub = GreeterGrpc.newBlockingStub(fixture.channel(proxy));
    int calls = 50;
    for (int i = 0; i < calls; i++) {
      catchThrowableOfType(StatusRuntimeException.class, () -> hello(stub, "n"));
    }
    // 20% of the calls, plus the few every window allows; without a budget it would be 2 * 50.
    double budget = 3 + calls * 0.20;
    assertThat(retries(proxy)).isPositive().isLessThanOrEqualTo(budget);
    assertThat(bad1.calls() + bad2.calls()).isEqualTo(calls + (int) retries(proxy));
  }

  private static double retries(ProxyServer proxy) {
    return PrometheusText.parse(proxy.meters().scrape())
        .getOrDefault(PrometheusText.key("ferry_retries_total", "cluster", "g"), 0.0);
  }
}
