package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.admin.PrometheusText;
import dev.ferry.proxy.config.AdminConfig;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import dev.ferry.testservers.helloworld.VoteRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AdminEndpointsTest {
  private static final String ROUTE = "service=helloworld.Greeter";
  private static final String METHOD = "helloworld.Greeter/SayHello";

  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private final HttpClient http = HttpClient.newHttpClient();

  private ProxyServer proxyWithAdmin(ExampleServer greeter) throws Exception {
    return fixture.proxy(
        config(
                List.of(service("helloworld.Greeter", "greeter")),
                cluster("greeter", BalancePolicy.ROUND_ROBIN, greeter.address().getPort()))
            .withAdmin(new AdminConfig("127.0.0.1", 0)));
  }

  @Test
  void metrics_parseAsPrometheusText_andCountEveryCallByStatus() throws Exception {
    ExampleServer greeter = fixture.example(ExampleServer.Kind.GREETER);
    ProxyServer proxy = proxyWithAdmin(greeter);
    ManagedChannel ch = fixture.channel(proxy);
    GreeterGrpc.GreeterBlockingStub stub =
        GreeterGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
    for (int i = 0; i < 5; i++) {
      stub.sayHello(HelloRequest.newBuilder().setName("n" + i).build());
    }
    Metadata fail = new Metadata();
    fail.put(Metadata.Key.of("x-fail-status", Metadata.ASCII_STRING_MARSHALLER), "5");
    for (int i = 0; i < 2; i++) {
      StatusRuntimeException e =
          catchThrowableOfType(
              StatusRuntimeException.class,
              () ->
                  stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(fail))
                      .sayHello(HelloRequest.newBuilder().setName("x").build()));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }
    catchThrowableOfType(
        StatusRuntimeException.class,
        () ->
            DaininkiGrpc.newBlockingStub(ch)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .vote(VoteRequest.newBuilder().setCandidate("a").build()));

    // A call is counted when its stream closes, just after the client saw the end: wait for it.
    Map<String, Double> m =
        awaitMetrics(
            proxy,
            s ->
                s.getOrDefault(calls(ROUTE, "greeter", METHOD, "0"), 0.0) == 5
                    && s.getOrDefault(calls(ROUTE, "greeter", METHOD, "5"), 0.0) == 2
                    && s.getOrDefault(calls("none", "", "helloworld.Daininki/Vote", "12"), 0.0)
                        == 1);
    assertThat(m)
        .containsEntry(
            PrometheusText.key(
                "ferry_call_duration_seconds_count",
                "route",
                ROUTE,
                "cluster",
                "greeter",
                "method",
                METHOD),
            7.0)
        .containsEntry(PrometheusText.key("ferry_local_replies_total", "reason", "no_route"), 1.0)
        .containsEntry(
            PrometheusText.key("ferry_local_replies_total", "reason", "connect_failed"), 0.0)
        .containsEntry(
            PrometheusText.key("ferry_active_streams", "route", ROUTE, "cluster", "greeter"), 0.0)
        .containsEntry(PrometheusText.key("ferry_buffered_body_bytes"), 0.0)
        .containsKey(PrometheusText.key("ferry_call_buffered_peak_bytes"))
        .containsEntry(
            PrometheusText.key(
                "ferry_upstream_connections",
                "cluster",
                "greeter",
                "endpoint",
                greeter.authority()),
            1.0)
        .containsEntry(
            PrometheusText.key(
                "ferry_endpoint_healthy", "cluster", "greeter", "endpoint", greeter.authority()),
            1.0);
    String[] labels = {"route", ROUTE, "cluster", "greeter", "method", METHOD};
    assertThat(m)
        .containsEntry(PrometheusText.key("ferry_request_messages_total", labels), 7.0)
        .containsEntry(PrometheusText.key("ferry_response_messages_total", labels), 5.0);
    double requestBytes =
        m.get(
            PrometheusText.key(
                "ferry_request_bytes_total",
                "route",
                ROUTE,
                "cluster",
                "greeter",
                "method",
                METHOD));
    assertThat(requestBytes).isGreaterThan(7 * 5);
  }

  @Test
  void clustersConfigReadyHealthz_answer_andDrainFailsReadiness() throws Exception {
    ExampleServer greeter = fixture.example(ExampleServer.Kind.GREETER);
    ProxyServer proxy = proxyWithAdmin(greeter);
    GreeterGrpc.newBlockingStub(fixture.channel(proxy))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .sayHello(HelloRequest.newBuilder().setName("a").build());

    HttpResponse<String> clusters = get(proxy, "/clusters");
    assertThat(clusters.statusCode()).isEqualTo(200);
    assertThat(clusters.body())
        .startsWith("greeter\n  " + greeter.authority() + " healthy in_flight=0 connections=1");
    assertThat(get(proxy, "/clusters?format=json").body())
        .contains("\"name\":\"greeter\"", "\"address\":\"" + greeter.authority() + "\"");
    HttpResponse<String> cfg = get(proxy, "/config");
    assertThat(cfg.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(cfg.body())
        .contains("\"service\": \"helloworld.Greeter\"", "\"drain_timeout\": \"5s\"");
    assertThat(get(proxy, "/healthz").statusCode()).isEqualTo(200);
    assertThat(get(proxy, "/ready").statusCode()).isEqualTo(200);
    assertThat(get(proxy, "/drain").statusCode()).isEqualTo(405);
    assertThat(get(proxy, "/nope").statusCode()).isEqualTo(404);

    HttpResponse<String> drain =
        http.send(
            HttpRequest.newBuilder(uri(proxy, "/drain"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(drain.statusCode()).isEqualTo(200);
    HttpResponse<String> ready = get(proxy, "/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).isEqualTo("not ready: draining\n");
  }

  private static String calls(String route, String cluster, String method, String status) {
    return PrometheusText.key(
        "ferry_calls_total",
        "route",
        route,
        "cluster",
        cluster,
        "method",
        method,
        "grpc_status",
        status);
  }

  private Map<String, Double> awaitMetrics(ProxyServer proxy, Predicate<Map<String, Double>> done) {
    return await("metrics reaching the expected counts").until(() -> metrics(proxy), done);
  }

  /** One scrape of {@code /metrics}, parsed. */
  private Map<String, Double> metrics(ProxyServer proxy) throws Exception {
    HttpResponse<String> r = get(proxy, "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse(""))
        .startsWith("text/plain; version=0.0.4");
    return PrometheusText.parse(r.body());
  }

  private HttpResponse<String> get(ProxyServer proxy, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(proxy, path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(ProxyServer proxy, String path) {
    InetSocketAddress a = proxy.adminAddress();
    return URI.create("http://127.0.0.1:" + a.getPort() + path);
  }
}
