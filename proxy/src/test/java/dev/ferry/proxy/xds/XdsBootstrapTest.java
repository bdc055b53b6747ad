package dev.ferry.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** grpc's bootstrap format: what ferry reads of it, and one line for what is wrong. */
class XdsBootstrapTest {
  @Test
  void readsServerCredentialsAndNode() {
    XdsBootstrap b =
        XdsBootstrap.parse(
            "b.json",
            """
            {"xds_servers": [{"server_uri": "istiod:15010",
                              "channel_creds": [{"type": "google_default"}, {"type": "tls"}],
                              "server_features": ["xds_v3"]}],
             "node": {"id": "edge-1", "cluster": "edge", "metadata": {"team": "core", "n": 2},
                      "locality": {"region": "eu", "zone": "eu-1"}}}
            """);
    assertThat(b.serverUri()).isEqualTo("istiod:15010");
    assertThat(b.tls()).isTrue();
    assertThat(b.serverFeatures()).containsExactly("xds_v3");
    assertThat(b.node().getId()).isEqualTo("edge-1");
    assertThat(b.node().getCluster()).isEqualTo("edge");
    assertThat(b.node().getMetadata().getFieldsOrThrow("team").getStringValue()).isEqualTo("core");
    assertThat(b.node().getLocality().getZone()).isEqualTo("eu-1");
    assertThat(b.node().getUserAgentName()).isEqualTo("ferry");
  }

  @Test
  void badFiles_sayWhatAndWhere() {
    assertThatThrownBy(() -> XdsBootstrap.parse("b.json", "{"))
        .hasMessageStartingWith("b.json: invalid JSON: ");
    assertThatThrownBy(() -> XdsBootstrap.parse("b.json", "{}"))
        .hasMessage("b.json: xds_servers: missing (expected a list with one control plane)");
    assertThatThrownBy(
            () -> XdsBootstrap.parse("b.json", "{\"xds_servers\": [{\"server_uri\": 5}]}"))
        .hasMessage("b.json: xds_servers[0].server_uri: expected a string");
  }
}
