package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.XdsResources.Ep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.AdminConfig;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.xds.XdsBootstrap;
import dev.ferry.proxy.xds.XdsClient;
import dev.ferry.proxy.xds.XdsOptions;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ferry configured by a real xDS control plane (envoyproxy's java-control-plane, in the test): the
 * article's topology built from LDS, RDS, CDS and EDS; traffic moving with EDS; a NACK; the control
 * plane going away and coming back; two proxies on one control plane.
 */
class XdsTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private final HttpClient http = HttpClient.newHttpClient();

  /** Quick reconnects: the tests restart the control plane. */
  private static final XdsOptions FAST =
      new XdsOptions(
          Duration.ofMillis(50), Duration.ofMillis(500), XdsOptions.ReadyWhen.CONFIGURED);

  private static final Duration WAIT = Duration.ofSeconds(30);

  private ExampleServer greeter;
  private ExampleServer a;
  private ExampleServer b;
  private ControlPlane cp;

  @BeforeEach
  void topology() throws Exception {
    greeter = fixture.example(ExampleServer.Kind.GREETER);
    a = fixture.example(ExampleServer.Kind.DAININKI);
    b = fixture.example(ExampleServer.Kind.DAININKI);
    cp = fixture.closeLater(ControlPlane.start());
    cp.set(
        XdsResources.article(
            "1", port(greeter), List.of(Ep.healthy(port(a)), Ep.healthy(port(b)))));
  }

  @Test
  void articleTopology_fromXds_servesGreeter_andBalancesDaininki() throws Exception {
    ProxyServer proxy = xdsProxy("ferry-1", FAST);
    ManagedChannel ch = fixture.channel(proxy);

    String hello =
        GreeterGrpc.newBlockingStub(ch)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .sayHello(HelloRequest.newBuilder().setName("xds").build())
            .getMessage();
    assertThat(hello).isEqualTo("Hello, xds!");
    TrafficProbe probe = fixture.closeLater(TrafficProbe.start(ch));
    long t0 = System.nanoTime();
    await().atMost(WAIT).until(() -> new HashSet<>(probe.servedSince(t0)).size() == 2);
    assertThat(new HashSet<>(probe.servedSince(t0))).containsExactlyInAnyOrder(a.id(), b.id());

    String config = get(proxy, "/config").body();
    assertThat(config)
        .contains("\"kind\": \"xds\"", "\"name\": \"ingress\"", "\"name\": \"local_routes\"")
        .contains("\"name\": \"daininki\"", "\"version\": \"1\"", "connected to " + cp.target());
    assertThat(get(proxy, "/ready").statusCode()).isEqualTo(200);
    assertThat(probe.failures()).isEmpty();
  }

  @Test
  void edsChanges_moveTraffic_withNoFailedCall() throws Exception {
    ProxyServer proxy = xdsProxy("ferry-1", FAST);
    TrafficProbe probe = fixture.closeLater(TrafficProbe.start(fixture.channel(proxy)));
    await().atMost(WAIT).until(() -> probe.settledAfter(0, 1, by -> true) >= 0);

    // b marked UNHEALTHY: every call goes to a.
    long t1 = System.nanoTime();
    cp.set(
        XdsResources.article(
            "2",
            port(greeter),
            List.of(Ep.healthy(port(a)), new Ep(port(b), 1, HealthStatus.UNHEALTHY))));
    long unhealthy = awaitSettled(probe, t1, by -> by.equals(a.id()));

    // b healthy again with weight 3 against a's 1: b takes most calls.
    long t2 = System.nanoTime();
    cp.set(
        XdsResources.article(
            "3",
            port(greeter),
            List.of(
                new Ep(port(a), 1, HealthStatus.HEALTHY),
                new Ep(port(b), 3, HealthStatus.HEALTHY))));
    long weighted =
        awaitSettled(probe, t2, by -> by.equals(b.id()) || by.equals(a.id()), 40, t2, b);

    // a removed: every call goes to b.
    long t3 = System.nanoTime();
    cp.set(XdsResources.article("4", port(greeter), List.of(Ep.healthy(port(b)))));
    long removed = awaitSettled(probe, t3, by -> by.equals(b.id()));

    System.out.printf(
        "xds: snapshot to effect: unhealthy %d ms, weight %d ms, removed %d ms%n",
        unhealthy / 1_000_000, weighted / 1_000_000, removed / 1_000_000);
    probe.close();
    assertThat(probe.failures()).isEmpty();
  }

  @Test
  void unsupportedCluster_isNackedWithErrorDetail_andTheOldConfigServes() throws Exception {
    ProxyServer proxy = xdsProxy("ferry-1", FAST);
    Cluster maglev =
        XdsResources.cluster("daininki").toBuilder().setLbPolicy(Cluster.LbPolicy.MAGLEV).build();
    cp.set(
        XdsResources.snapshot(
            "2",
            List.of(XdsResources.cluster("greeter"), maglev),
            List.of(
                XdsResources.endpoints("greeter", List.of(Ep.healthy(port(greeter)))),
                XdsResources.endpoints(
                    "daininki", List.of(Ep.healthy(port(a)), Ep.healthy(port(b)))))));

    await()
        .atMost(WAIT)
        .until(() -> cp.requests().stream().anyMatch(DiscoveryRequest::hasErrorDetail));
    DiscoveryRequest nack =
        cp.requests().stream().filter(DiscoveryRequest::hasErrorDetail).findFirst().orElseThrow();
    assertThat(nack.getTypeUrl()).isEqualTo("type.googleapis.com/envoy.config.cluster.v3.Cluster");
    assertThat(nack.getVersionInfo()).isEqualTo("1");
    assertThat(nack.getErrorDetail().getCode()).isEqualTo(3);
    assertThat(nack.getErrorDetail().getMessage())
        .isEqualTo(
            "Cluster \"daininki\": lb_policy: MAGLEV not supported (expected ROUND_ROBIN,"
                + " LEAST_REQUEST, RING_HASH or RANDOM)");

    // The cluster of version 1 still serves, balancing over a and b.
    TrafficProbe probe = fixture.closeLater(TrafficProbe.start(fixture.channel(proxy)));
    long t0 = System.nanoTime();
    await().atMost(WAIT).until(() -> new HashSet<>(probe.servedSince(t0)).size() == 2);
    assertThat(get(proxy, "/config").body()).contains("last rejected: cluster version 2");
    probe.close();
    assertThat(probe.failures()).isEmpty();
  }

  @Test
  void controlPlaneGone_proxyKeepsServing_reconnects_andReadyFollowsTheStream() throws Exception {
    ProxyServer proxy = xdsProxy("ferry-1", FAST.withReadyWhen(XdsOptions.ReadyWhen.CONNECTED));
    TrafficProbe probe = fixture.closeLater(TrafficProbe.start(fixture.channel(proxy)));
    await().atMost(WAIT).until(() -> get(proxy, "/ready").statusCode() == 200);

    cp.stop();
    await().atMost(WAIT).until(() -> get(proxy, "/ready").statusCode() == 503);
    assertThat(get(proxy, "/ready").body()).contains("unreachable; serving the last good");
    long t0 = System.nanoTime();
    await().atMost(WAIT).until(() -> new HashSet<>(probe.servedSince(t0)).size() == 2);

    cp.set(XdsResources.article("2", port(greeter), List.of(Ep.healthy(port(a)))));
    cp.restart();
    long t1 = System.nanoTime();
    awaitSettled(probe, t1, by -> by.equals(a.id()));
    await().atMost(WAIT).until(() -> get(proxy, "/ready").statusCode() == 200);
    probe.close();
    assertThat(probe.failures()).isEmpty();
  }

  @Test
  void listenerAddedThenRemovedByLds_opensThenClosesItsSocket() throws Exception {
    ProxyServer proxy = xdsProxy("ferry-1", FAST);
    List<Cluster> clusters =
        List.of(XdsResources.cluster("greeter"), XdsResources.cluster("daininki"));
    List<io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment> eds =
        List.of(
            XdsResources.endpoints("greeter", List.of(Ep.healthy(port(greeter)))),
            XdsResources.endpoints("daininki", List.of(Ep.healthy(port(a)))));
    InetSocketAddress first = proxy.boundAddresses().get(0);

    // A second listener on another loopback address: same routes, its own socket.
    cp.set(
        XdsResources.snapshot(
            "2",
            clusters,
            eds,
            List.of(XdsResources.listener(), XdsResources.listener("ingress-b", "127.0.0.2"))));
    await().atMost(WAIT).until(() -> proxy.boundAddresses().size() == 2);
    InetSocketAddress second = proxy.boundAddresses().get(1);
    assertThat(second.getAddress().getHostAddress()).isEqualTo("127.0.0.2");
    assertThat(sayHello(second)).isEqualTo("Hello, b!");

    // The first listener removed: its socket closes, the second serves on.
    cp.set(
        XdsResources.snapshot(
            "3", clusters, eds, List.of(XdsResources.listener("ingress-b", "127.0.0.2"))));
    await().atMost(WAIT).until(() -> proxy.boundAddresses().size() == 1);
    assertThat(proxy.boundAddresses()).containsExactly(second);
    await().atMost(WAIT).until(() -> !accepts(first));
    assertThat(sayHello(second)).isEqualTo("Hello, b!");
    assertThat(get(proxy, "/config").body()).contains("\"name\": \"ingress-b\"");
  }

  private String sayHello(InetSocketAddress at) throws Exception {
    ManagedChannel ch =
        NettyChannelBuilder.forAddress(at.getAddress().getHostAddress(), at.getPort())
            .usePlaintext()
            .build();
    try {
      return GreeterGrpc.newBlockingStub(ch)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .sayHello(HelloRequest.newBuilder().setName("b").build())
          .getMessage();
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static boolean accepts(InetSocketAddress at) {
    try (Socket s = new Socket()) {
      s.connect(at, 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void twoProxies_onOneControlPlane_takeTheSameUpdate() throws Exception {
    ProxyServer one = xdsProxy("ferry-1", FAST);
    ProxyServer two = xdsProxy("ferry-2", FAST);
    TrafficProbe p1 = fixture.closeLater(TrafficProbe.start(fixture.channel(one)));
    TrafficProbe p2 = fixture.closeLater(TrafficProbe.start(fixture.channel(two)));
    // Both warmed up, so that the time measured is the update's, not a first connection's.
    await().atMost(WAIT).until(() -> p1.settledAfter(0, 1, by -> true) >= 0);
    await().atMost(WAIT).until(() -> p2.settledAfter(0, 1, by -> true) >= 0);

    long t0 = System.nanoTime();
    cp.set(XdsResources.article("2", port(greeter), List.of(Ep.healthy(port(b)))));
    long first = awaitSettled(p1, t0, by -> by.equals(b.id()));
    long second = awaitSettled(p2, t0, by -> by.equals(b.id()));
    System.out.printf(
        "xds: fleet of two: snapshot to effect %d ms and %d ms%n",
        first / 1_000_000, second / 1_000_000);
    assertThat(get(one, "/config").body()).contains("\"version\": \"2\"");
    assertThat(get(two, "/config").body()).contains("\"version\": \"2\"");
    p1.close();
    p2.close();
    assertThat(p1.failures()).isEmpty();
    assertThat(p2.failures()).isEmpty();
  }

  private long awaitSettled(
      TrafficProbe probe, long since, java.util.function.Predicate<String> holds) {
    long[] at = {-1};
    await().atMost(WAIT).until(() -> (at[0] = probe.settledAfter(since, 20, holds)) >= 0);
    return at[0];
  }

  /** Waits until {@code most} has served the majority of {@code run} calls since {@code t}. */
  private long awaitSettled(
      TrafficProbe probe,
      long since,
      java.util.function.Predicate<String> holds,
      int run,
      long t,
      ExampleServer most) {
    long[] at = {-1};
    await()
        .atMost(WAIT)
        .until(
            () -> {
              List<String> recent = probe.servedSince(t);
              if (recent.size() < run) {
                return false;
              }
              List<String> tail = recent.subList(recent.size() - run, recent.size());
              long byMost = tail.stream().filter(most.id()::equals).count();
              // 3 to 1: b's share is 75%; over 40 calls well above half.
              if (byMost * 10 >= run * 6 && tail.stream().allMatch(holds)) {
                at[0] = probe.settledAfter(since, 1, most.id()::equals);
                return true;
              }
              return false;
            });
    return at[0];
  }

  private ProxyServer xdsProxy(String node, XdsOptions options) throws Exception {
    XdsBootstrap bootstrap = XdsBootstrap.parse("bootstrap.json", cp.bootstrap(node));
    ProxyConfig base =
        new ProxyConfig(
            List.of(), Map.of(), null, Duration.ofSeconds(5), new AdminConfig("127.0.0.1", 0));
    XdsClient client = fixture.closeLater(XdsClient.start(bootstrap, base, options));
    ProxyServer proxy = fixture.proxy(client.awaitFirstConfig(WAIT));
    proxy.configuredBy(client);
    client.applyTo(proxy);
    return proxy;
  }

  private HttpResponse<String> get(ProxyServer proxy, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + proxy.adminAddress().getPort() + path);
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int port(ExampleServer s) {
    return s.address().getPort();
  }
}
