package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.netty.handler.codec.http2.Http2Error;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UpstreamResetTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();

  @Test
  void refusedStream_isReplayedOnAnotherEndpoint_withItsBody() throws Exception {
    ScriptedH2Backend refusing =
        fixture.closeLater(new ScriptedH2Backend(Http2Error.REFUSED_STREAM));
    ExampleServer greeter = fixture.example(ExampleServer.Kind.GREETER);
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(service("helloworld.Greeter", "g")),
                ProxyFixture.clusterWithRetries(
                    "g",
                    BalancePolicy.ROUND_ROBIN,
                    1,
                    refusing.port(),
                    greeter.address().getPort())));
    GreeterGrpc.GreeterBlockingStub stub = GreeterGrpc.newBlockingStub(fixture.channel(proxy));
    for (int i = 0; i < 10; i++) {
      // The refusing backend read the whole request (body included) before refusing it.
      assertThat(stub.sayHello(HelloRequest.newBuilder().setName("r" + i).build()).getMessage())
          .isEqualTo("Hello, r" + i + "!");
    }
    assertThat(refusing.resets.get()).isPositive();
  }

  @Test
  void backendResetBeforeAnswering_getsUnavailableNamingTheReset() throws Exception {
    ScriptedH2Backend resetting = fixture.closeLater(new ScriptedH2Backend(Http2Error.CANCEL));
    var log = new AccessLogAndShutdownTest.QueueLog();
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(service("helloworld.Greeter", "g")),
                ProxyFixture.clusterWithRetries(
                    "g", BalancePolicy.ROUND_ROBIN, 3, resetting.port())),
            log);
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                GreeterGrpc.newBlockingStub(fixture.channel(proxy))
                    .sayHello(HelloRequest.newBuilder().setName("x").build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription())
        .isEqualTo(
            "ferry: cluster 'g': 127.0.0.1:"
                + resetting.port()
                + ": reset by backend (CANCEL), after the request's headers and 8 body bytes had"
                + " been sent (the whole request)");
    assertThat(e.getTrailers().get(GrpcCallShapesTest.LOCAL_REPLY)).isEqualTo("upstream_reset");
    EndReasonsTest.assertLogged(
        log.entries.poll(20, TimeUnit.SECONDS), "upstream_reset", e.getStatus().getDescription());
    // A reset is not a refusal: the call was not tried again.
    assertThat(resetting.resets.get()).isEqualTo(1);
  }
}
