package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.AclConfig;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.DirectReply;
import dev.ferry.proxy.config.HeaderRules;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.config.RateLimitConfig;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.config.RouteMatch;
import dev.ferry.proxy.config.RoutePolicy;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Access control and rate limits through real sockets, for both address families: one listener on
 * 127.0.0.1 and one on ::1 share the routes.
 */
class RouteGuardTest {
  static final Metadata.Key<String> LOCAL_REPLY =
      Metadata.Key.of("ferry-local-reply", Metadata.ASCII_STRING_MARSHALLER);

  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private ExampleServer greeter;

  @BeforeEach
  void setUp() throws Exception {
    greeter = fixture.example(ExampleServer.Kind.GREETER);
  }

  private ProxyServer proxy(RoutePolicy policy, AclConfig listenerAcl) throws Exception {
    RouteConfig greet =
        new RouteConfig(
            new RouteMatch("helloworld.Greeter", null, null, null, List.of()),
            "greeter",
            null,
            HeaderRules.NONE,
            HeaderRules.NONE,
            null,
            policy);
    RouteConfig rest =
        new RouteConfig(
            new RouteMatch(null, null, "/", null, List.of()),
            null,
            new DirectReply(0, 200, "hello rest"),
            HeaderRules.NONE,
            HeaderRules.NONE,
            null,
            policy);
    List<RouteConfig> routes = List.of(greet, rest);
    ClusterConfig c = cluster("greeter", BalancePolicy.ROUND_ROBIN, greeter.address().getPort());
    return fixture.proxy(
        new ProxyConfig(
            List.of(
                ListenerConfig.builder("127.0.0.1", 0, routes)
                    .idleTimeout(Duration.ZERO)
                    .acl(listenerAcl)
                    .build(),
                ListenerConfig.builder("::1", 0, routes)
                    .idleTimeout(Duration.ZERO)
                    .acl(listenerAcl)
                    .build()),
            Map.of("greeter", c),
            null,
            Duration.ofSeconds(1)));
  }

  private String hello(ProxyServer proxy, int listener) {
    String host = listener == 0 ? "127.0.0.1" : "[::1]";
    ManagedChannel ch =
        Grpc.newChannelBuilder(
                host + ":" + proxy.boundAddresses().get(listener).getPort(),
                InsecureChannelCredentials.create())
            .build();
    fixture.closeLater(
        () -> {
          ch.shutdownNow();
          ch.awaitTermination(5, TimeUnit.SECONDS);
        });
    return GreeterGrpc.newBlockingStub(ch)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .sayHello(HelloRequest.newBuilder().setName("g").build())
        .getMessage();
  }

  private static HttpResponse<String> get(ProxyServer proxy, int listener) throws Exception {
    String host = listener == 0 ? "127.0.0.1" : "[::1]";
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://"
                            + host
                            + ":"
                            + proxy.boundAddresses().get(listener).getPort()
                            + "/x"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void routeAllowingOnlyIpv6Loopback_refusesIpv4_withPermissionDeniedAnd403() throws Exception {
    ProxyServer proxy =
        proxy(
            new RoutePolicy(new AclConfig(List.of("::1/128"), List.of(), List.of()), null, 0),
            null);

    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> hello(proxy, 0));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(e.getStatus().getDescription())
        .isEqualTo(
            "ferry: route 'helloworld.Greeter': client address 127.0.0.1 is not in the allow list");
    assertThat(e.getTrailers().get(LOCAL_REPLY)).isEqualTo("access_denied");
    assertThat(get(proxy, 0).statusCode()).isEqualTo(403);
    assertThat(hello(proxy, 1)).isEqualTo("Hello, g!");
    assertThat(get(proxy, 1).statusCode()).isEqualTo(200);
  }

  @Test
  void routeDenyingIpv6Loopback_refusesIt_andServesIpv4() throws Exception {
    ProxyServer proxy =
        proxy(
            new RoutePolicy(new AclConfig(List.of(), List.of("::1/128"), List.of()), null, 0),
            null);

    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> hello(proxy, 1));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(e.getStatus().getDescription())
        .isEqualTo(
            "ferry: route 'helloworld.Greeter': client address 0:0:0:0:0:0:0:1 is denied"
                + " (::1/128)");
    assertThat(hello(proxy, 0)).isEqualTo("Hello, g!");
  }

  @Test
  void listenerDenyingIpv4_closesItsConnections_beforeAnyRequest() throws Exception {
    ProxyServer proxy =
        proxy(RoutePolicy.NONE, new AclConfig(List.of(), List.of("127.0.0.0/8"), List.of()));

    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> hello(proxy, 0));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(hello(proxy, 1)).isEqualTo("Hello, g!");
  }

  @Test
  void rateLimit_theCallPastTheBurstIsRefusedWithAHint_andHttpGets429() throws Exception {
    RateLimitConfig oncePerHour =
        new RateLimitConfig(1, Duration.ofHours(1), 3, RateLimitConfig.Key.CLIENT_IP, null);
    ProxyServer proxy = proxy(new RoutePolicy(null, oncePerHour, 0), null);

    for (int i = 0; i < 3; i++) {
      assertThat(hello(proxy, 0)).isEqualTo("Hello, g!");
    }
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> hello(proxy, 0));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription())
        .matches(
            "ferry: rate limit 1/h of route helloworld.Greeter exceeded; retry after \\d+ms"
                + " \\(key: client address 127.0.0.1\\)");
    assertThat(e.getTrailers().get(LOCAL_REPLY)).isEqualTo("rate_limited");
    // The other address has its own bucket.
    assertThat(hello(proxy, 1)).isEqualTo("Hello, g!");
  }

  @Test
  void rateLimit_onPlainHttp_answers429() throws Exception {
    RateLimitConfig one =
        new RateLimitConfig(1, Duration.ofHours(1), 1, RateLimitConfig.Key.GLOBAL, null);
    ProxyServer proxy = proxy(new RoutePolicy(null, one, 0), null);

    assertThat(get(proxy, 0).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = get(proxy, 0);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body()).contains("retry after");
    // Within the hour the one token per hour comes back.
    assertThat(Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow()))
        .isBetween(1L, 3600L);
  }

  @Test
  void requestMessageOverTheRouteLimit_getsResourceExhausted_smallOnesPass() throws Exception {
    ProxyServer proxy = proxy(new RoutePolicy(null, null, 1024), null);
    ManagedChannel ch = fixture.channel(proxy);
    var stub = GreeterGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> stub.sayHello(HelloRequest.newBuilder().setName("x".repeat(2000)).build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("ferry: request message of 2003 bytes exceeds the route's limit of 1024 bytes");
    assertThat(e.getTrailers().get(LOCAL_REPLY)).isEqualTo("message_too_large");
    assertThat(stub.sayHello(HelloRequest.newBuilder().setName("small").build()).getMessage())
        .isEqualTo("Hello, small!");
  }
}
