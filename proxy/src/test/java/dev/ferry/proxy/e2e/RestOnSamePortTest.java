package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.route;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.ClusterConfig.Protocol;
import dev.ferry.proxy.config.Endpoint;
import dev.ferry.proxy.config.RouteMatch;
import dev.ferry.testservers.ExampleRestServer;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RestOnSamePortTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private ProxyServer proxy;
  private ExampleRestServer rest;
  private URI base;

  @BeforeEach
  void setUp() throws Exception {
    ExampleServer greeter = fixture.example(ExampleServer.Kind.GREETER);
    rest = fixture.closeLater(ExampleRestServer.start("127.0.0.1", 0));
    ClusterConfig restCluster = http1Cluster("rest", rest.address().getPort());
    proxy =
        fixture.proxy(
            config(
                List.of(
                    service("helloworld.Greeter", "greeter"),
                    route(new RouteMatch(null, null, "/api/", null, List.of()), "rest", null)),
                ProxyFixture.cluster(
                    "greeter", BalancePolicy.ROUND_ROBIN, greeter.address().getPort()),
                restCluster));
    base = URI.create("http://127.0.0.1:" + proxy.boundAddresses().get(0).getPort());
  }

  private HttpResponse<String> send(HttpClient.Version v, HttpRequest.Builder req)
      throws Exception {
    HttpClient client = HttpClient.newBuilder().version(v).build();
    return client.send(
        req.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void restGet_overHttp11_reachesHttp1Backend() throws Exception {
    HttpResponse<String> r =
        send(HttpClient.Version.HTTP_1_1, HttpRequest.newBuilder(base.resolve("/api/items?x=1")));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(r.body()).contains("\"method\":\"GET\"").contains("\"path\":\"/api/items?x=1\"");
  }

  @Test
  void restPost_overHttp11_echoesBody() throws Exception {
    HttpResponse<String> r =
        send(
            HttpClient.Version.HTTP_1_1,
            HttpRequest.newBuilder(base.resolve("/api/echo"))
                .header("content-type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello rest")));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello rest");
  }

  @Test
  void restGetAndPost_overH2cUpgrade_work() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpResponse<String> get =
        client.send(
            HttpRequest.newBuilder(base.resolve("/api/one"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(get.body()).contains("\"path\":\"/api/one\"");
    // The same client now speaks HTTP/2 on the upgraded connection.
    HttpResponse<String> post =
        client.send(
            HttpRequest.newBuilder(base.resolve("/api/two"))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("over h2"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(post.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(post.body()).isEqualTo("over h2");
  }

  @Test
  void restGetAndPost_overH2cPriorKnowledge_work() throws Exception {
    int port = proxy.boundAddresses().get(0).getPort();
    H2PriorKnowledgeClient.Response get = H2PriorKnowledgeClient.send(port, "GET", "/api/pk", null);
    assertThat(get.status()).isEqualTo("200");
    assertThat(get.body()).contains("\"path\":\"/api/pk\"");
    H2PriorKnowledgeClient.Response post =
        H2PriorKnowledgeClient.send(port, "POST", "/api/pk", "prior knowledge body");
    assertThat(post.status()).isEqualTo("200");
    assertThat(post.body()).isEqualTo("prior knowledge body");
  }

  @Test
  void unknownPath_overHttp11_gets404FromProxy() throws Exception {
    HttpResponse<String> r =
        send(HttpClient.Version.HTTP_1_1, HttpRequest.newBuilder(base.resolve("/nowhere")));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("ferry-local-reply")).contains("no_route");
    assertThat(r.body()).contains("no route for /nowhere");
  }

  @Test
  void keepAliveConnection_servesPipelinedRequestsInOrder() throws Exception {
    try (Socket s = new Socket("127.0.0.1", proxy.boundAddresses().get(0).getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      String req =
          "GET /api/a HTTP/1.1\r\nHost: x\r\n\r\nGET /api/b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
      out.write(req.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder all = new StringBuilder();
      String line;
      while ((line = in.readLine()) != null) {
        all.append(line).append('\n');
      }
      String text = all.toString();
      assertThat(text.indexOf("\"path\":\"/api/a\"")).isPositive();
      assertThat(text.indexOf("\"path\":\"/api/b\""))
          .isGreaterThan(text.indexOf("\"path\":\"/api/a\""));
    }
  }

  @Test
  void gracefulShutdown_finishesTheHttp11ResponseInFlight() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    slow.createContext(
        "/",
        ex -> {
          arrived.countDown();
          try {
            answer.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] b = "late but whole".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    slow.start();
    fixture.closeLater(() -> slow.stop(0));
    ProxyServer p =
        ProxyServer.start(
            config(
                List.of(route(new RouteMatch(null, null, "/", null, List.of()), "slow", null)),
                http1Cluster("slow", slow.getAddress().getPort())));
    int port = p.boundAddresses().get(0).getPort();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write("GET /x HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> shutdown =
          CompletableFuture.runAsync(
              () -> {
                try {
                  p.shutdownGracefully(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      // Draining has begun once the listener refuses new connections.
      await().until(() -> !connects(port));
      answer.countDown();
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(all).startsWith("HTTP/1.1 200 OK").endsWith("late but whole");
      shutdown.get(10, TimeUnit.SECONDS);
    }
  }

  private static boolean connects(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static ClusterConfig http1Cluster(String name, int port) {
    return ClusterConfig.builder(name, List.of(Endpoint.tcp("127.0.0.1", port, 1)))
        .protocol(Protocol.HTTP1)
        .connectTimeout(Duration.ofSeconds(2))
        .connectRetries(0)
        .dnsRefresh(Duration.ZERO)
        .build();
  }

  @Test
  void grpcCallCaughtByRestCatchAll_getsUnimplementedFromProxy() throws Exception {
    ProxyServer catchAll =
        fixture.proxy(
            config(
                List.of(route(new RouteMatch(null, null, "/", null, List.of()), "rest", null)),
                http1Cluster("rest", rest.address().getPort())));
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                GreeterGrpc.newBlockingStub(fixture.channel(catchAll))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .sayHello(HelloRequest.newBuilder().setName("a").build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(e.getStatus().getDescription())
        .isEqualTo(
            "ferry: no gRPC route for /helloworld.Greeter/SayHello: the matching route leads to"
                + " HTTP/1.1 cluster 'rest', which cannot carry gRPC");
    assertThat(e.getTrailers().get(GrpcCallShapesTest.LOCAL_REPLY)).isEqualTo("no_route");
  }

  @Test
  void grpc_worksOnTheSamePort() {
    assertThat(
            GreeterGrpc.newBlockingStub(fixture.channel(proxy))
                .sayHello(HelloRequest.newBuilder().setName("same port").build())
                .getMessage())
        .isEqualTo("Hello, same port!");
  }
}
