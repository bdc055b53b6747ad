package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.clusterWithRetries;
import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.OutlierConfig;
import dev.ferry.proxy.metrics.EndpointStats;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import dev.ferry.testservers.helloworld.VoteRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Passive outlier detection on what real calls return, trailers included. */
class OutlierEjectionTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();

  @Test
  void killedEndpoint_isEjected_andReturnsAfterItsTime() throws Exception {
    ExampleServer a = fixture.example(ExampleServer.Kind.DAININKI);
    ExampleServer b = fixture.example(ExampleServer.Kind.DAININKI);
    // One failure is enough here: after a refused connect the data path itself passes the
    // endpoint over for a moment, so a second one would not come soon.
    OutlierConfig outlier =
        new OutlierConfig(1, Set.of(14), Duration.ofMillis(300), Duration.ofSeconds(5), 50);
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(service("helloworld.Daininki", "d")),
                clusterWithRetries(
                        "d",
                        BalancePolicy.ROUND_ROBIN,
                        1,
                        a.address().getPort(),
                        b.address().getPort())
                    .toBuilder()
                    .outlierDetection(outlier)
                    .build()));
    var stub = DaininkiGrpc.newBlockingStub(fixture.channel(proxy));
    String deadA = a.authority();
    a.close();

    // Every call still succeeds (the connect failure is retried on b), and a is ejected.
    for (int i = 0; i < 6; i++) {
      assertThat(
              stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                  .vote(VoteRequest.newBuilder().setCandidate("c").build())
                  .getServedBy())
          .isEqualTo(b.id());
    }
    EndpointStats ejected = await(proxy, deadA, e -> e.ejected() && e.ejections() >= 1);
    assertThat(ejected.ejections()).isGreaterThanOrEqualTo(1);

    // Its time runs out with no one calling: it is back among the candidates.
    await(proxy, deadA, e -> !e.ejected());
  }

  @Test
  void unavailableInTrailersAfterMessages_countsAsFailure_andAtMostHalfIsEjected()
      throws Exception {
    ExampleServer a = fixture.example(ExampleServer.Kind.GREETER);
    ExampleServer b = fixture.example(ExampleServer.Kind.GREETER);
    OutlierConfig outlier =
        new OutlierConfig(3, Set.of(14), Duration.ofSeconds(30), Duration.ofSeconds(60), 50);
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(service("helloworld.Greeter", "g")),
                clusterWithRetries(
                        "g",
                        BalancePolicy.ROUND_ROBIN,
                        0,
                        a.address().getPort(),
                        b.address().getPort())
                    .toBuilder()
                    .outlierDetection(outlier)
                    .build()));
    Metadata fail = new Metadata();
    fail.put(Metadata.Key.of("x-fail-status", Metadata.ASCII_STRING_MARSHALLER), "14");
    fail.put(Metadata.Key.of("x-fail-after", Metadata.ASCII_STRING_MARSHALLER), "1");
    var stub =
        GreeterGrpc.newBlockingStub(fixture.channel(proxy))
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(fail));
    for (int i = 0; i < 8; i++) {
      Iterator<HelloReply> it =
          stub.withDeadlineAfter(10, TimeUnit.SECONDS)
              .sayHelloStreamReply(HelloRequest.newBuilder().setName("n").build());
      assertThat(it.next().getMessage()).startsWith("Hello, n!");
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, it::next);
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    List<EndpointStats> stats = proxy.endpointStats();
    assertThat(stats.stream().filter(EndpointStats::ejected).count()).isEqualTo(1);
    // The other one still serves, so the cluster never goes dark.
    assertThat(
            GreeterGrpc.newBlockingStub(fixture.channel(proxy))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .sayHello(HelloRequest.newBuilder().setName("ok").build())
                .getMessage())
        .isEqualTo("Hello, ok!");
  }

  /** Waits until the proxy's own view of {@code endpoint} is as wanted, and returns that view. */
  private static EndpointStats await(
      ProxyServer proxy, String endpoint, Predicate<EndpointStats> wanted) {
    return Awaitility.await(endpoint + " in the state wanted")
        .until(
            () ->
                proxy.endpointStats().stream()
                    .filter(e -> e.endpoint().equals(endpoint))
                    .findFirst()
                    .orElse(null),
            e -> e != null && wanted.test(e));
  }
}
