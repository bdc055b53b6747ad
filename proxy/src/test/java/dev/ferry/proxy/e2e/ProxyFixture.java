package dev.ferry.proxy.e2e;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.Endpoint;
import dev.ferry.proxy.config.HeaderRules;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.config.RouteMatch;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.RefusedPort;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that builds proxy configurations, starts proxies, backends and client channels
 * for a test, and closes them all after it.
 */
final class ProxyFixture implements AfterEachCallback {
  private final List<AutoCloseable> resources = new ArrayList<>();

  static RouteConfig service(String service, String cluster) {
    return new RouteConfig(
        new RouteMatch(service, null, null, null, List.of()),
        cluster,
        null,
        HeaderRules.NONE,
        HeaderRules.NONE,
        null);
  }

  static RouteConfig route(RouteMatch match, String cluster, Duration maxTimeout) {
    return new RouteConfig(match, cluster, null, HeaderRules.NONE, HeaderRules.NONE, maxTimeout);
  }

  static ClusterConfig cluster(String name, BalancePolicy policy, int... ports) {
    return clusterWithRetries(name, policy, 0, ports);
  }

  static ClusterConfig clusterWithRetries(
      String name, BalancePolicy policy, int retries, int... ports) {
    List<Endpoint> eps =
        Arrays.stream(ports).mapToObj(p -> Endpoint.tcp("127.0.0.1", p, 1)).toList();
    return ClusterConfig.builder(name, eps)
        .balance(policy, "x-user-id")
        .connectTimeout(Duration.ofSeconds(2))
        .connectRetries(retries)
        .dnsRefresh(Duration.ZERO)
        .build();
  }

  static ProxyConfig config(List<RouteConfig> routes, ClusterConfig... clusters) {
    Map<String, ClusterConfig> byName = new LinkedHashMap<>();
    for (ClusterConfig c : clusters) {
      byName.put(c.name(), c);
    }
    return new ProxyConfig(
        List.of(ListenerConfig.builder("127.0.0.1", 0, routes).idleTimeout(Duration.ZERO).build()),
        byName,
        null,
        Duration.ofSeconds(5));
  }

  TestBackend backend() throws IOException {
    return backend(0);
  }

  TestBackend backend(int maxConcurrentStreams) throws IOException {
    TestBackend b = TestBackend.start(maxConcurrentStreams);
    resources.add(b);
    return b;
  }

  /** A real example backend (greeter or daininki) on a free port. */
  ExampleServer example(ExampleServer.Kind kind) throws IOException {
    ExampleServer s = ExampleServer.builder(kind).start();
    resources.add(s);
    return s;
  }

  TestBackend slowBackend(long delayMs) throws IOException {
    TestBackend b = TestBackend.startSlow(delayMs);
    resources.add(b);
    return b;
  }

  ProxyServer proxy(ProxyConfig config) throws IOException {
    return proxy(config, AccessLog.OFF);
  }

  ProxyServer proxy(ProxyConfig config, AccessLog log) throws IOException {
    ProxyServer p = ProxyServer.start(config, log);
    resources.add(p);
    return p;
  }

  ManagedChannel channel(ProxyServer proxy) {
    ManagedChannel ch =
        NettyChannelBuilder.forAddress("127.0.0.1", proxy.boundAddresses().get(0).getPort())
            .usePlaintext()
            .maxInboundMessageSize(80 << 20)
            .build();
    resources.add(
        () -> {
          ch.shutdownNow();
          ch.awaitTermination(5, TimeUnit.SECONDS);
        });
    return ch;
  }

  /** A loopback port that refuses connections until the test ends: a backend that is down. */
  int refusedPort() {
    return closeLater(RefusedPort.open()).port();
  }

  /** Registers anything else to close after the test. */
  <T extends AutoCloseable> T closeLater(T resource) {
    resources.add(resource);
    return resource;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    // Clients first, then the proxy, then backends: the reverse of starting.
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    resources.clear();
  }
}
