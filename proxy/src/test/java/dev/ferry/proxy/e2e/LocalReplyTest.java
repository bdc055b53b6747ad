package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static dev.ferry.proxy.e2e.ProxyFixture.clusterWithRetries;
import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import dev.ferry.testservers.helloworld.VoteRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LocalReplyTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();

  @Test
  void unknownService_getsUnimplementedFromProxy() throws Exception {
    ExampleServer greeter = fixture.example(ExampleServer.Kind.GREETER);
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(service("helloworld.Greeter", "greeter")),
                cluster("greeter", BalancePolicy.ROUND_ROBIN, greeter.address().getPort())));
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                DaininkiGrpc.newBlockingStub(fixture.channel(proxy))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .vote(VoteRequest.newBuilder().setCandidate("a").build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("ferry: no route for /helloworld.Daininki/Vote");
    assertThat(e.getTrailers().get(GrpcCallShapesTest.LOCAL_REPLY)).isEqualTo("no_route");
  }

  @Test
  void connectRefused_getsUnavailableNamingClusterAndEndpoint() throws Exception {
    int dead = fixture.refusedPort();
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(service("helloworld.Greeter", "greeter")),
                cluster("greeter", BalancePolicy.ROUND_ROBIN, dead)));
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                GreeterGrpc.newBlockingStub(fixture.channel(proxy))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .sayHello(HelloRequest.newBuilder().setName("a").build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("ferry: cluster 'greeter': connect to 127.0.0.1:" + dead + " refused");
    assertThat(e.getTrailers().get(GrpcCallShapesTest.LOCAL_REPLY)).isEqualTo("connect_failed");
  }

  @Test
  void allBackendsDown_getUnavailableWithMarker_evenAfterRetries() throws Exception {
    int dead1 = fixture.refusedPort();
    int dead2 = fixture.refusedPort();
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(service("helloworld.Greeter", "greeter")),
                clusterWithRetries("greeter", BalancePolicy.ROUND_ROBIN, 3, dead1, dead2)));
    GreeterGrpc.GreeterBlockingStub stub = GreeterGrpc.newBlockingStub(fixture.channel(proxy));
    for (int i = 0; i < 3; i++) {
      StatusRuntimeException e =
          catchThrowableOfType(
              StatusRuntimeException.class,
              () -> stub.sayHello(HelloRequest.newBuilder().setName("a").build()));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.getStatus().getDescription()).startsWith("ferry: cluster 'greeter': connect to");
      assertThat(e.getTrailers().get(GrpcCallShapesTest.LOCAL_REPLY)).isEqualTo("connect_failed");
    }
  }

  @Test
  void connectRefused_isRetriedOnAnotherEndpoint() throws Exception {
    int live = fixture.example(ExampleServer.Kind.GREETER).address().getPort();
    int dead = fixture.refusedPort();
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(service("helloworld.Greeter", "greeter")),
                clusterWithRetries("greeter", BalancePolicy.ROUND_ROBIN, 1, dead, live)));
    GreeterGrpc.GreeterBlockingStub stub = GreeterGrpc.newBlockingStub(fixture.channel(proxy));
    for (int i = 0; i < 10; i++) {
      assertThat(stub.sayHello(HelloRequest.newBuilder().setName("r").build()).getMessage())
          .isEqualTo("Hello, r!");
    }
  }
}
