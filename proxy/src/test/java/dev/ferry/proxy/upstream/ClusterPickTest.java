package dev.ferry.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.Endpoint;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which endpoint a cluster picks: turns shared by its loops, and endpoints held down left out. */
class ClusterPickTest {
  private static final Http2Headers HEADERS = new DefaultHttp2Headers();

  private final DefaultEventLoop loopA = new DefaultEventLoop();
  private final DefaultEventLoop loopB = new DefaultEventLoop();
  private final ScheduledExecutorService dns = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void close() {
    loopA.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    loopB.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    dns.shutdownNow();
  }

  private SharedCluster cluster(BalancePolicy policy, int... ports) {
    List<Endpoint> eps = new ArrayList<>();
    for (int p : ports) {
      eps.add(Endpoint.tcp("127.0.0.1", p, 1));
    }
    return SharedCluster.start(
        ClusterConfig.builder("daininki", eps)
            .balance(policy, null)
            .dnsRefresh(Duration.ZERO)
            .build(),
        null,
        dns);
  }

  private UpstreamCluster on(SharedCluster shared, DefaultEventLoop loop) {
    return shared.forLoop(new UpstreamConnector(loop, NioSocketChannel.class));
  }

  @Test
  void roundRobin_alternatesAcrossEventLoops() {
    SharedCluster shared = cluster(BalancePolicy.ROUND_ROBIN, 1, 2);
    UpstreamCluster a = on(shared, loopA);
    UpstreamCluster b = on(shared, loopB);

    List<String> picked = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      picked.add(a.pick(HEADERS, List.of(), false).name());
      picked.add(b.pick(HEADERS, List.of(), false).name());
    }

    for (int i = 1; i < picked.size(); i++) {
      assertThat(picked.get(i)).as("%s", picked).isNotEqualTo(picked.get(i - 1));
    }
  }

  @Test
  void proxysOwnLookup_takesNoTurn() {
    SharedCluster shared = cluster(BalancePolicy.ROUND_ROBIN, 1, 2);
    UpstreamCluster a = on(shared, loopA);
    UpstreamCluster b = on(shared, loopB);

    String first = a.pick(HEADERS, List.of(), false).name();
    b.pickWithoutTurn(HEADERS);
    a.pickWithoutTurn(HEADERS);

    assertThat(b.pick(HEADERS, List.of(), false).name()).isNotEqualTo(first);
  }

  @Test
  void retryAfterAnAnswer_goesBackToTheLiveEndpoint_notToOneHealthChecksHoldDown() {
    UpstreamCluster c = on(cluster(BalancePolicy.ROUND_ROBIN, 1, 2), loopA);
    UpstreamEndpoint live = c.endpoints().get(0);
    c.endpoints().get(1).health().healthy(false, "connect to 127.0.0.1:2 refused");

    for (int i = 0; i < 4; i++) {
      assertThat(c.pick(HEADERS, List.of(live), true)).isSameAs(live);
    }
  }

  @Test
  void retryAfterAConnectFailure_isNotSentToAnEndpointHeldDown() {
    UpstreamCluster c = on(cluster(BalancePolicy.ROUND_ROBIN, 1, 2), loopA);
    UpstreamEndpoint live = c.endpoints().get(0);
    c.endpoints().get(1).health().healthy(false, "connect to 127.0.0.1:2 refused");

    assertThat(c.pick(HEADERS, List.of(live), false)).isNull();
  }

  @Test
  void everyEndpointHeldDown_anyMayBeTried() {
    UpstreamCluster c = on(cluster(BalancePolicy.ROUND_ROBIN, 1, 2), loopA);
    c.endpoints().forEach(e -> e.health().healthy(false, "down"));

    UpstreamEndpoint first = c.pick(HEADERS, List.of(), false);
    assertThat(first).isNotNull();
    assertThat(c.pick(HEADERS, List.of(first), false)).isNotSameAs(first).isNotNull();
  }
}
