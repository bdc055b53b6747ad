package dev.ferry.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.proxy.config.ConfigLoader;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ProxyConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The file's resources beside the control plane's: what clashes, and what the two make. */
class StaticResourcesTest {
  private static final String YAML =
      """
      listeners:
        - address: 127.0.0.1:8080
          routes: [ { match: { prefix: / }, cluster: greeter } ]
        - address: 127.0.0.1:0
          routes: [ { match: { prefix: / }, cluster: greeter } ]
      clusters:
        greeter: { endpoints: [127.0.0.1:50051] }
      xds: { server: 127.0.0.1:18000 }
      """;

  private final ProxyConfig file = parse();
  private final StaticResources statics = new StaticResources(file);

  private static ProxyConfig parse() {
    try {
      return ConfigLoader.parse("ferry.yaml", YAML);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void xdsListenerOnAStaticListenersAddress_isRefused_namingBoth() {
    assertThatThrownBy(() -> statics.checkListener("edge", "127.0.0.1", 8080))
        .isInstanceOf(XdsRejection.class)
        .hasMessage(
            "Listener \"edge\": address: 127.0.0.1:8080 is a static listener's (static resources"
                + " cannot be replaced by xDS)");
  }

  @Test
  void portZero_andOtherAddresses_doNotClash() throws Exception {
    statics.checkListener("any", "127.0.0.1", 0);
    statics.checkListener("other-port", "127.0.0.1", 8081);
    statics.checkListener("other-host", "127.0.0.2", 8080);
  }

  @Test
  void xdsClusterWithAStaticClustersName_isRefused() throws Exception {
    assertThatThrownBy(() -> statics.checkCluster("greeter"))
        .hasMessage(
            "Cluster \"greeter\": name: a static cluster has this name (static resources cannot"
                + " be replaced by xDS)");
    statics.checkCluster("daininki");
  }

  @Test
  void theRunningConfig_isTheFilesListenersFirst_thenTheControlPlanes() {
    ListenerConfig fromXds = ListenerConfig.builder("127.0.0.1", 9090, List.of()).build();
    ProxyConfig both = statics.with(List.of(fromXds), Map.of());
    assertThat(both.listeners())
        .containsExactly(file.listeners().get(0), file.listeners().get(1), fromXds);
    assertThat(both.clusters()).containsOnlyKeys("greeter");
    assertThat(both.xds()).isEqualTo(file.xds());
    assertThat(statics.versions())
        .extracting(v -> v.type() + " " + v.name() + " " + v.source())
        .containsExactly(
            "listener 127.0.0.1:8080 file", "listener 127.0.0.1:0 file", "cluster greeter file");
  }
}
