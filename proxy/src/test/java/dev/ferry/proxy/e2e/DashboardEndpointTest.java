package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.AdminConfig;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /dashboard.json} and the page at {@code /}, read as a script would. */
class DashboardEndpointTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void dashboardJson_showsClustersCountsAndTheFailedCallWithItsReason() throws Exception {
    ExampleServer greeter = fixture.example(ExampleServer.Kind.GREETER);
    ProxyServer proxy =
        fixture.proxy(
            config(
                    List.of(service("helloworld.Greeter", "greeter")),
                    cluster("greeter", BalancePolicy.ROUND_ROBIN, greeter.address().getPort()))
                .withAdmin(new AdminConfig("127.0.0.1", 0)));
    GreeterGrpc.GreeterBlockingStub stub =
        GreeterGrpc.newBlockingStub(fixture.channel(proxy)).withDeadlineAfter(10, TimeUnit.SECONDS);
    stub.sayHello(HelloRequest.newBuilder().setName("a").build());
    Metadata fail = new Metadata();
    fail.put(Metadata.Key.of("x-fail-status", Metadata.ASCII_STRING_MARSHALLER), "14");
    fail.put(
        Metadata.Key.of("x-fail-message", Metadata.ASCII_STRING_MARSHALLER), "<b>down</b> & out");
    catchThrowableOfType(
        StatusRuntimeException.class,
        () ->
            stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(fail))
                .sayHello(HelloRequest.newBuilder().setName("b").build()));

    JsonObject doc =
        await("both calls counted")
            .until(
                () -> json(proxy),
                d ->
                    d.getAsJsonArray("routes").size() == 1
                        && d.getAsJsonArray("routes")
                                .get(0)
                                .getAsJsonObject()
                                .get("calls")
                                .getAsLong()
                            == 2);

    JsonObject route = doc.getAsJsonArray("routes").get(0).getAsJsonObject();
    assertThat(route.get("route").getAsString()).isEqualTo("service=helloworld.Greeter");
    assertThat(route.get("errors").getAsLong()).isEqualTo(1);
    JsonObject cluster = doc.getAsJsonArray("clusters").get(0).getAsJsonObject();
    assertThat(cluster.get("name").getAsString()).isEqualTo("greeter");
    assertThat(cluster.get("calls").getAsLong()).isEqualTo(2);
    JsonObject endpoint = cluster.getAsJsonArray("endpoints").get(0).getAsJsonObject();
    assertThat(endpoint.get("address").getAsString()).isEqualTo(greeter.authority());
    assertThat(endpoint.get("state").getAsString()).isEqualTo("healthy");
    JsonObject listener = doc.getAsJsonArray("listeners").get(0).getAsJsonObject();
    assertThat(listener.get("address").getAsString())
        .isEqualTo("127.0.0.1:" + proxy.boundAddresses().get(0).getPort());
    JsonArray failed = doc.getAsJsonArray("failed_calls");
    assertThat(failed).hasSize(1);
    JsonObject f = failed.get(0).getAsJsonObject();
    assertThat(f.get("reason").getAsString()).isEqualTo("upstream");
    assertThat(f.get("grpc_status").getAsInt()).isEqualTo(14);
    assertThat(f.get("path").getAsString()).isEqualTo("/helloworld.Greeter/SayHello");
    assertThat(f.get("detail").getAsString())
        .isEqualTo("UNAVAILABLE(14) from " + greeter.authority() + ": <b>down</b> & out");
    assertThat(doc.get("interval_ms").getAsLong()).isPositive();
  }

  @Test
  void root_isThePageForBrowsers_andTheListForScripts() throws Exception {
    ProxyServer proxy = fixture.proxy(config(List.of()).withAdmin(new AdminConfig("127.0.0.1", 0)));

    HttpResponse<String> page = get(proxy, "/", "text/html,application/xhtml+xml,*/*;q=0.8");
    assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("content-security-policy").orElse(""))
        .contains("script-src 'self'");
    assertThat(page.body()).contains("<script src=\"dashboard.js\" defer></script>");
    assertThat(get(proxy, "/dashboard.js", "*/*").body()).contains("textContent");
    assertThat(get(proxy, "/dashboard.css", "*/*").statusCode()).isEqualTo(200);
    assertThat(get(proxy, "/", "*/*").body())
        .startsWith("ferry admin: ")
        .contains("/dashboard.json");
  }

  private JsonObject json(ProxyServer proxy) throws Exception {
    HttpResponse<String> r = get(proxy, "/dashboard.json", "application/json");
    assertThat(r.statusCode()).isEqualTo(200);
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  private HttpResponse<String> get(ProxyServer proxy, String path, String accept) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + proxy.adminAddress().getPort() + path);
    return http.send(
        HttpRequest.newBuilder(uri)
            .header("Accept", accept)
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
