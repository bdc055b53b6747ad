package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.accesslog.AccessLogEntry;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A call still in flight when a drain runs out (the proxy shutting down, a reload retiring its
 * cluster) is cut by the proxy with reason {@code draining}: the client gets UNAVAILABLE saying so,
 * and the access log and metrics name the reason.
 */
class DrainingTest {
  private static final Duration DRAIN = Duration.ofMillis(200);

  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private final AccessLogAndShutdownTest.QueueLog log = new AccessLogAndShutdownTest.QueueLog();
  private final LinkedBlockingQueue<HelloReply> replies = new LinkedBlockingQueue<>();
  private final CompletableFuture<Throwable> ended = new CompletableFuture<>();

  @Test
  void shutdownWithACallInFlight_cutsItAtTheDrainTimeout_asDraining() throws Exception {
    ClusterConfig greeter = greeter();
    ProxyServer proxy = fixture.proxy(withDrain(config(routes(), greeter)), log);
    openBidiStream(proxy);

    CompletableFuture<Void> stopping =
        CompletableFuture.runAsync(
            () -> {
              try {
                proxy.shutdownGracefully(DRAIN);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });

    assertCutAsDraining("the proxy is shutting down and its drain timeout of 200ms ran out");
    stopping.get(20, TimeUnit.SECONDS);
    assertThat(proxy.meters().scrape())
        .contains("ferry_calls_ended_total{reason=\"draining\"} 1")
        .contains("ferry_local_replies_total{reason=\"draining\"} 1");
  }

  @Test
  void reloadRetiringTheCluster_cutsItsCallAtTheDrainTimeout_asDraining() throws Exception {
    ProxyServer proxy = fixture.proxy(withDrain(config(routes(), greeter())), log);
    openBidiStream(proxy);

    proxy.reload(withDrain(config(routes(), greeter())));

    assertCutAsDraining("a reload retired the cluster and its drain timeout of 200ms ran out");
  }

  private static List<dev.ferry.proxy.config.RouteConfig> routes() {
    return List.of(service("helloworld.Greeter", "greeter"));
  }

  /** A greeter of its own, so that a reload to another one replaces the cluster. */
  private ClusterConfig greeter() throws Exception {
    ExampleServer g = fixture.example(ExampleServer.Kind.GREETER);
    return cluster("greeter", BalancePolicy.ROUND_ROBIN, g.address().getPort());
  }

  private static ProxyConfig withDrain(ProxyConfig c) {
    return new ProxyConfig(c.listeners(), c.clusters(), c.accessLog(), DRAIN);
  }

  /** A bidi stream through {@code proxy} that has had its first reply: the call is streaming. */
  private void openBidiStream(ProxyServer proxy) throws InterruptedException {
    StreamObserver<HelloRequest> requests =
        GreeterGrpc.newStub(fixture.channel(proxy))
            .sayHelloBidiStream(
                new StreamObserver<>() {
                  @Override
                  public void onNext(HelloReply reply) {
                    replies.add(reply);
                  }

                  @Override
                  public void onError(Throwable t) {
                    ended.complete(t);
                  }

                  @Override
                  public void onCompleted() {
                    ended.complete(null);
                  }
                });
    requests.onNext(HelloRequest.newBuilder().setName("a").build());
    assertThat(replies.poll(20, TimeUnit.SECONDS)).as("the first reply").isNotNull();
  }

  private void assertCutAsDraining(String why) throws Exception {
    Throwable t = ended.get(20, TimeUnit.SECONDS);
    assertThat(t).isInstanceOf(StatusRuntimeException.class);
    StatusRuntimeException e = (StatusRuntimeException) t;
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription())
        .startsWith("ferry: cluster 'greeter': ")
        .contains(why);
    assertThat(e.getTrailers().get(GrpcCallShapesTest.LOCAL_REPLY)).isEqualTo("draining");

    AccessLogEntry entry = log.entries.poll(20, TimeUnit.SECONDS);
    assertThat(entry).as("an access-log entry").isNotNull();
    EndReasonsTest.assertLogged(entry, "draining", e.getStatus().getDescription());
  }
}
