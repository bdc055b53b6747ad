package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.DirectReply;
import dev.ferry.proxy.config.HeaderMatch;
import dev.ferry.proxy.config.HeaderRules;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.config.RouteMatch;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RouteFeaturesTest {
  static final Metadata.Key<String> ADDED =
      Metadata.Key.of("x-added", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> SECRET =
      Metadata.Key.of("x-secret", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> VIA =
      Metadata.Key.of("x-via", Metadata.ASCII_STRING_MARSHALLER);

  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private TestBackend backend;
  private ProxyServer proxy;
  private ManagedChannel channel;

  @BeforeEach
  void setUp() throws Exception {
    backend = fixture.backend();
    RouteConfig maintenance =
        new RouteConfig(
            new RouteMatch(
                null,
                null,
                null,
                null,
                List.of(new HeaderMatch("x-env", "maintenance", null, null))),
            null,
            new DirectReply(14, 503, "down for maintenance"),
            HeaderRules.NONE,
            HeaderRules.NONE,
            null);
    RouteConfig rewriting =
        new RouteConfig(
            new RouteMatch("helloworld.Greeter", null, null, null, List.of()),
            "g",
            null,
            new HeaderRules(Map.of("x-added", "by-ferry"), Map.of(), List.of("x-secret")),
            new HeaderRules(Map.of("x-via", "ferry"), Map.of(), List.of()),
            null);
    proxy =
        fixture.proxy(
            config(
                List.of(maintenance, rewriting),
                cluster("g", BalancePolicy.ROUND_ROBIN, backend.port())));
    channel = fixture.channel(proxy);
  }

  @Test
  void directReply_answersGrpcWithItsStatus_andHttpWithItsCode() throws Exception {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("x-env", Metadata.ASCII_STRING_MARSHALLER), "maintenance");
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                GreeterGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                    .sayHello(HelloRequest.newBuilder().build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).isEqualTo("down for maintenance");
    assertThat(e.getTrailers().get(GrpcCallShapesTest.LOCAL_REPLY)).isEqualTo("direct_reply");

    HttpResponse<String> r =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + proxy.boundAddresses().get(0).getPort()
                                + "/status"))
                    .header("x-env", "maintenance")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("down for maintenance\n");
  }

  @Test
  void headerRules_rewriteRequestAndResponse() {
    Metadata md = new Metadata();
    md.put(SECRET, "hunter2");
    AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
    GreeterGrpc.newBlockingStub(channel)
        .withInterceptors(
            MetadataUtils.newAttachHeadersInterceptor(md),
            MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, new AtomicReference<>()))
        .sayHello(HelloRequest.newBuilder().setName("h").build());
    Metadata seen = backend.seenHeaders.poll();
    assertThat(seen.get(ADDED)).isEqualTo("by-ferry");
    assertThat(seen.containsKey(SECRET)).isFalse();
    assertThat(responseHeaders.get().get(VIA)).isEqualTo("ferry");
  }
}
