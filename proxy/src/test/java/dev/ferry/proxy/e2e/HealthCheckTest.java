package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.HealthCheckConfig;
import dev.ferry.proxy.config.HealthCheckConfig.Panic;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import dev.ferry.testservers.helloworld.VoteRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Active health checks against real backends: gRPC health for h2, GET for http1. */
class HealthCheckTest {
  private static final Duration INTERVAL = Duration.ofMillis(100);

  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();

  private static HealthCheckConfig check(Panic panic, String path) {
    return new HealthCheckConfig(INTERVAL, Duration.ofSeconds(1), 1, 1, 0, "", null, path, panic);
  }

  @Test
  void notServing_stopsTrafficAtTheFirstCheckThatSaysSo_andServingBringsItBack() throws Exception {
    TestBackend a = fixture.backend();
    TestBackend b = fixture.backend();
    // A check may take a minute: within this test only an answer, never a timeout, fails one.
    HealthCheckConfig patient =
        new HealthCheckConfig(
            INTERVAL, Duration.ofMinutes(1), 1, 1, 0, "", null, "/healthz", Panic.OPEN);
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(service("helloworld.Daininki", "d")),
                cluster("d", BalancePolicy.ROUND_ROBIN, a.port(), b.port()).toBuilder()
                    .healthCheck(patient)
                    .build()));
    var stub = DaininkiGrpc.newBlockingStub(fixture.channel(proxy));
    assertThat(servedBy(stub, 10)).containsExactlyInAnyOrder(a.servedBy(), b.servedBy());

    a.health.setServing(false);
    // a answers one check NOT_SERVING and holds the next: the proxy flips on that one answer,
    // the first check after the change, or it never would.
    awaitHealthy(proxy, "127.0.0.1:" + a.port(), false, () -> true);
    assertThat(a.health.notServingAnswers()).isEqualTo(1);
    assertThat(servedBy(stub, 20)).containsExactly(b.servedBy());

    a.health.setServing(true);
    awaitHealthy(proxy, "127.0.0.1:" + a.port(), true, () -> true);
    assertThat(servedBy(stub, 10)).containsExactlyInAnyOrder(a.servedBy(), b.servedBy());
  }

  @Test
  void everyEndpointUnhealthy_panicClosed_failsFastWithNoHealthyUpstream() throws Exception {
    ExampleServer g = fixture.example(ExampleServer.Kind.GREETER);
    var log = new AccessLogAndShutdownTest.QueueLog();
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(service("helloworld.Greeter", "g")),
                cluster("g", BalancePolicy.ROUND_ROBIN, g.address().getPort()).toBuilder()
                    .healthCheck(check(Panic.CLOSED, "/healthz"))
                    .build()),
            log);
    g.setServing(false);
    awaitHealthy(proxy, g, false);

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                GreeterGrpc.newBlockingStub(fixture.channel(proxy))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .sayHello(HelloRequest.newBuilder().setName("a").build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getTrailers().get(GrpcCallShapesTest.LOCAL_REPLY))
        .isEqualTo("no_healthy_upstream");
    assertThat(e.getStatus().getDescription())
        .startsWith(
            "ferry: cluster 'g': no endpoint available: 1 endpoint: 127.0.0.1:"
                + g.address().getPort()
                + " unhealthy by health check");
    EndReasonsTest.assertLogged(
        log.entries.poll(20, TimeUnit.SECONDS),
        "no_healthy_upstream",
        e.getStatus().getDescription());
  }

  @Test
  void everyEndpointUnhealthy_panicOpen_stillServes() throws Exception {
    ExampleServer g = fixture.example(ExampleServer.Kind.GREETER);
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(service("helloworld.Greeter", "g")),
                cluster("g", BalancePolicy.ROUND_ROBIN, g.address().getPort()).toBuilder()
                    .healthCheck(check(Panic.OPEN, "/healthz"))
                    .build()));
    g.setServing(false);
    awaitHealthy(proxy, g, false);

    String reply =
        GreeterGrpc.newBlockingStub(fixture.channel(proxy))
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .sayHello(HelloRequest.newBuilder().setName("a").build())
            .getMessage();
    assertThat(reply).isEqualTo("Hello, a!");
  }

  @Test
  void http1Cluster_isCheckedWithGet_andA503MakesItUnhealthy() throws Exception {
    AtomicInteger status = new AtomicInteger(200);
    AtomicInteger checks = new AtomicInteger();
    HttpServer rest = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    rest.createContext(
        "/ping",
        ex -> {
          checks.incrementAndGet();
          ex.sendResponseHeaders(status.get(), -1);
          ex.close();
        });
    rest.start();
    fixture.closeLater(() -> rest.stop(0));
    ClusterConfig c =
        ClusterConfig.builder(
                "rest",
                List.of(
                    dev.ferry.proxy.config.Endpoint.tcp(
                        "127.0.0.1", rest.getAddress().getPort(), 1)))
            .protocol(ClusterConfig.Protocol.HTTP1)
            .connectTimeout(Duration.ofSeconds(2))
            .connectRetries(0)
            .dnsRefresh(Duration.ZERO)
            .healthCheck(check(Panic.OPEN, "/ping"))
            .build();
    ProxyServer proxy = fixture.proxy(config(List.of(service("x.Y", "rest")), c));
    String endpoint = "127.0.0.1:" + rest.getAddress().getPort();

    awaitHealthy(proxy, endpoint, true, () -> checks.get() >= 2);
    status.set(503);
    awaitHealthy(proxy, endpoint, false, () -> true);
    status.set(204);
    awaitHealthy(proxy, endpoint, true, () -> true);
  }

  private static Set<String> servedBy(DaininkiGrpc.DaininkiBlockingStub stub, int calls) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < calls; i++) {
      seen.add(
          stub.withDeadlineAfter(10, TimeUnit.SECONDS)
              .vote(VoteRequest.newBuilder().setCandidate("c").build())
              .getServedBy());
    }
    return seen;
  }

  private static void awaitHealthy(ProxyServer proxy, ExampleServer s, boolean healthy) {
    awaitHealthy(proxy, s.authority(), healthy, () -> true);
  }

  /** Waits until the proxy's own view gives {@code endpoint} the health wanted. */
  private static void awaitHealthy(
      ProxyServer proxy, String endpoint, boolean healthy, BooleanSupplier also) {
    await(endpoint + (healthy ? " healthy" : " unhealthy"))
        .until(
            () ->
                also.getAsBoolean()
                    && proxy.endpointStats().stream()
                        .anyMatch(e -> e.endpoint().equals(endpoint) && e.healthy() == healthy));
  }
}
