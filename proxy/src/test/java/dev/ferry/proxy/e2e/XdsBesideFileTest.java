package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.XdsResources.Ep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ConfigLoader;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.config.XdsConfig;
import dev.ferry.proxy.xds.XdsBootstrap;
import dev.ferry.proxy.xds.XdsClient;
import dev.ferry.proxy.xds.XdsOptions;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import dev.ferry.testservers.helloworld.VoteRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ferry.yaml with an {@code xds:} block: the file's listener, route and cluster serve from the
 * start, a real control plane (java-control-plane) adds a second service beside them, and an xDS
 * cluster named as a static one is NACKed while the static one serves on.
 */
class XdsBesideFileTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private final HttpClient http = HttpClient.newHttpClient();

  private static final XdsOptions FAST =
      new XdsOptions(
          Duration.ofMillis(50), Duration.ofMillis(500), XdsOptions.ReadyWhen.CONFIGURED);
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void staticAndXdsResources_serveSideBySide_andAClashIsNackedWhileTheStaticOneServes()
      throws Exception {
    ExampleServer greeter = fixture.example(ExampleServer.Kind.GREETER);
    ExampleServer daininki = fixture.example(ExampleServer.Kind.DAININKI);
    ControlPlane cp = fixture.closeLater(ControlPlane.start());
    ProxyConfig config =
        ConfigLoader.parse(
            "ferry.yaml",
            """
            listeners:
              - address: 127.0.0.1:0
                routes:
                  - match: { service: helloworld.Greeter }
                    cluster: greeter
            clusters:
              greeter: { endpoints: [127.0.0.1:%d] }
            admin: { address: 127.0.0.1:0 }
            xds:
              server: %s
              node: { id: ferry-1, cluster: edge }
            """
                .formatted(port(greeter), cp.target()));
    assertThat(config.xds())
        .isEqualTo(new XdsConfig(cp.target(), XdsConfig.Channel.INSECURE, "ferry-1", "edge"));

    // As serve does: the file's resources serve at once, the control plane's join them.
    ProxyServer proxy = fixture.proxy(config);
    XdsClient client =
        fixture.closeLater(XdsClient.start(XdsBootstrap.of(config.xds()), config, FAST));
    proxy.configuredBy(client);
    client.applyTo(proxy);
    InetSocketAddress fromFile = proxy.boundAddresses().get(0);
    assertThat(sayHello(fromFile)).isEqualTo("Hello, file!");

    // Version 1 adds a listener whose routes send Daininki to an xDS cluster, and Greeter to the
    // file's cluster.
    cp.set(
        XdsResources.snapshot(
            "1",
            List.of(XdsResources.cluster("daininki")),
            List.of(XdsResources.endpoints("daininki", List.of(Ep.healthy(port(daininki)))))));
    await().atMost(WAIT).until(() -> proxy.boundAddresses().size() == 2);
    InetSocketAddress fromXds = proxy.boundAddresses().get(1);
    assertThat(vote(fromXds)).isEqualTo(daininki.id());
    assertThat(sayHello(fromXds)).isEqualTo("Hello, file!");
    assertThat(sayHello(fromFile)).isEqualTo("Hello, file!");

    // Version 2 would replace the file's greeter cluster: NACKed, naming it.
    cp.set(
        XdsResources.snapshot(
            "2",
            List.of(XdsResources.cluster("daininki"), XdsResources.cluster("greeter")),
            List.of(
                XdsResources.endpoints("daininki", List.of(Ep.healthy(port(daininki)))),
                XdsResources.endpoints("greeter", List.of(Ep.healthy(port(daininki)))))));
    await()
        .atMost(WAIT)
        .until(() -> cp.requests().stream().anyMatch(DiscoveryRequest::hasErrorDetail));
    DiscoveryRequest nack =
        cp.requests().stream().filter(DiscoveryRequest::hasErrorDetail).findFirst().orElseThrow();
    assertThat(nack.getTypeUrl()).isEqualTo("type.googleapis.com/envoy.config.cluster.v3.Cluster");
    assertThat(nack.getVersionInfo()).isEqualTo("1");
    assertThat(nack.getErrorDetail().getMessage())
        .isEqualTo(
            "Cluster \"greeter\": name: a static cluster has this name (static resources cannot"
                + " be replaced by xDS)");

    // The file's cluster still serves, on both listeners; xDS's daininki too.
    assertThat(sayHello(fromFile)).isEqualTo("Hello, file!");
    assertThat(sayHello(fromXds)).isEqualTo("Hello, file!");
    assertThat(vote(fromXds)).isEqualTo(daininki.id());

    String status = get(proxy, "/config");
    assertThat(status)
        .containsPattern("\"name\": \"greeter\",\\s*\"source\": \"file\"")
        .containsPattern("\"name\": \"127.0.0.1:0\",\\s*\"source\": \"file\"")
        .containsPattern("\"name\": \"daininki\",\\s*\"source\": \"xds\"")
        .containsPattern("\"name\": \"ingress\",\\s*\"source\": \"xds\"")
        .contains("last rejected: cluster version 2");
  }

  private static String sayHello(InetSocketAddress at) throws Exception {
    ManagedChannel ch = channel(at);
    try {
      return GreeterGrpc.newBlockingStub(ch)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .sayHello(HelloRequest.newBuilder().setName("file").build())
          .getMessage();
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Who served a vote. */
  private static String vote(InetSocketAddress at) throws Exception {
    ManagedChannel ch = channel(at);
    try {
      return DaininkiGrpc.newBlockingStub(ch)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .vote(VoteRequest.newBuilder().setCandidate("xds").build())
          .getServedBy();
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static ManagedChannel channel(InetSocketAddress at) {
    return NettyChannelBuilder.forAddress(at.getAddress().getHostAddress(), at.getPort())
        .usePlaintext()
        .build();
  }

  private String get(ProxyServer proxy, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + proxy.adminAddress().getPort() + path);
    return http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static int port(ExampleServer s) {
    return s.address().getPort();
  }
}
