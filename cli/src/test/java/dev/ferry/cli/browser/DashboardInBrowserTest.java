package dev.ferry.cli.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ConfigLoader;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import dev.ferry.testservers.helloworld.VoteRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin listener's dashboard in a real browser, on a proxy serving two greeters: what it shows
 * is what the proxy sees, and it follows as calls are made, fail and lose an endpoint.
 */
@Timeout(120)
class DashboardInBrowserTest {
  @RegisterExtension static final Chromium chromium = new Chromium();

  private ExampleServer first;
  private ExampleServer second;
  private ProxyServer proxy;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    first = ExampleServer.builder(ExampleServer.Kind.GREETER).start();
    second = ExampleServer.builder(ExampleServer.Kind.GREETER).start();
    String yaml =
        """
        listeners:
          - address: 127.0.0.1:0
            routes:
              - match: { service: helloworld.Greeter }
                cluster: greeter
        clusters:
          greeter:
            endpoints: [%s, %s]
            # A killed endpoint is refused at once; a live one on a busy machine gets time to answer.
            health_check: { interval: 200ms, timeout: 10s, unhealthy_threshold: 1, healthy_threshold: 1 }
        admin: { address: 127.0.0.1:0 }
        """
            .formatted(first.authority(), second.authority());
    proxy = ProxyServer.start(ConfigLoader.parse("ferry.yaml", yaml));
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", proxy.boundAddresses().get(0).getPort())
            .usePlaintext()
            .build();
    chromium.driver().get("http://127.0.0.1:" + proxy.adminAddress().getPort() + "/");
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    proxy.close();
    first.close();
    second.close();
  }

  @Test
  void showsTheClusterAndEachEndpointOfTheRunningProxy() {
    for (ExampleServer greeter : List.of(first, second)) {
      chromium.until(
          greeter.authority() + " listed healthy", d -> state(greeter).equals("healthy"));
    }
    assertThat(chromium.text("[data-cluster='greeter'] h3")).isEqualTo("greeter");
    assertThat(chromium.text("#listeners"))
        .contains("127.0.0.1:" + proxy.boundAddresses().get(0).getPort())
        .contains("service=helloworld.Greeter");
    assertThat(chromium.text("#ready")).isEqualTo("ready");
  }

  @Test
  void callCounts_moveAfterCalls() {
    chromium.until("the cluster drawn", d -> !clusterFigure("calls").isEmpty());
    assertThat(clusterFigure("calls")).isEqualTo("0");

    for (int i = 0; i < 7; i++) {
      sayHello(new Metadata());
    }

    chromium.until("7 calls counted", d -> clusterFigure("calls").equals("7"));
    assertThat(chromium.text("[data-route='service=helloworld.Greeter'] [data-figure='calls'] b"))
        .isEqualTo("7");
    assertThat(clusterFigure("errors")).isEqualTo("0");
  }

  @Test
  void failedCall_appearsWithItsReason_andItsDetailAsPlainText() {
    String message = "<img src=x onerror=document.title='owned'> & co";
    Metadata fail = new Metadata();
    fail.put(Metadata.Key.of("x-fail-status", Metadata.ASCII_STRING_MARSHALLER), "14");
    fail.put(Metadata.Key.of("x-fail-message", Metadata.ASCII_STRING_MARSHALLER), message);
    catchThrowableOfType(StatusRuntimeException.class, () -> sayHello(fail));
    catchThrowableOfType(
        StatusRuntimeException.class,
        () ->
            DaininkiGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .vote(VoteRequest.newBuilder().setCandidate("a").build()));

    chromium.until("two failed calls listed", d -> chromium.texts("tr.failed-call").size() == 2);
    // Newest first: the call no route took, then the one the backend failed.
    assertThat(chromium.texts("tr.failed-call .reason")).containsExactly("no_route", "upstream");
    assertThat(chromium.texts("tr.failed-call").get(0)).contains("/helloworld.Daininki/Vote");
    assertThat(chromium.texts("tr.failed-call .detail").get(1))
        .startsWith("UNAVAILABLE(14) from 127.0.0.1:")
        .endsWith(": " + message);
    assertThat(chromium.texts("tr.failed-call img")).isEmpty();
    assertThat(chromium.driver().getTitle()).isEqualTo("ferry dashboard");
  }

  @Test
  void killedEndpoint_turnsUnhealthy_whileCallsGoOn() throws Exception {
    chromium.until(
        "both healthy", d -> state(first).equals("healthy") && state(second).equals("healthy"));
    AtomicBoolean calling = new AtomicBoolean(true);
    // Calls that take the backend a few ms, so the charts have traffic and latency to show.
    CompletableFuture<Void> traffic =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; calling.get(); i++) {
                Metadata delay = new Metadata();
                delay.put(
                    Metadata.Key.of("x-delay-ms", Metadata.ASCII_STRING_MARSHALLER),
                    Integer.toString(2 + i % 25));
                try {
                  sayHello(delay);
                } catch (StatusRuntimeException e) {
                  // A call on its way to the endpoint being killed may fail: that is the point.
                }
              }
            });
    try {
      chromium.until("calls counted", d -> !clusterFigure("calls/s").isEmpty());
      second.close();

      chromium.until(second.authority() + " unhealthy", d -> state(second).equals("unhealthy"));
      assertThat(state(first)).isEqualTo("healthy");
      assertThat(chromium.text("[data-cluster='greeter'] .card-head"))
          .contains("1 of 2 endpoints healthy");
      // Three points on the charts make a picture worth keeping.
      chromium.until(
          "three chart points",
          d ->
              chromium.attributes("[data-cluster='greeter'] polyline.calls", "points").stream()
                  .anyMatch(p -> p.split(" ").length >= 3));
      Metadata fail = new Metadata();
      fail.put(Metadata.Key.of("x-fail-status", Metadata.ASCII_STRING_MARSHALLER), "8");
      fail.put(
          Metadata.Key.of("x-fail-message", Metadata.ASCII_STRING_MARSHALLER),
          "quota exhausted for tenant 42");
      catchThrowableOfType(StatusRuntimeException.class, () -> sayHello(fail));
      chromium.until(
          "the failure listed",
          d -> chromium.text("#failed").contains("quota exhausted for tenant 42"));
    } finally {
      calling.set(false);
      traffic.get(30, TimeUnit.SECONDS);
    }
    chromium.screenshot("dashboard.png");
  }

  private void sayHello(Metadata headers) {
    GreeterGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .sayHello(HelloRequest.newBuilder().setName("dashboard").build());
  }

  private static String state(ExampleServer greeter) {
    return chromium.text("tr[data-endpoint='" + greeter.authority() + "'] .badge");
  }

  private static String clusterFigure(String name) {
    return chromium.text("[data-cluster='greeter'] [data-figure='" + name + "'] b");
  }
}
