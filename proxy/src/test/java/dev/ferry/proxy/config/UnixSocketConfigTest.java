package dev.ferry.proxy.config;

import static dev.ferry.proxy.config.ConfigLoaderTest.error;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Unix domain sockets as listener addresses, in the YAML file and in {@code --listen}. */
class UnixSocketConfigTest {
  private static final String CLUSTERS =
      """
      clusters:
        c: { endpoints: [unix:/run/greeter.sock] }
      """;

  private static String listener(String address, String extra) {
    return """
        listeners:
          - address: %s
            routes:
              - match: { prefix: / }
                cluster: c
        %s"""
            .formatted(address, extra)
        + CLUSTERS;
  }

  @Test
  void yamlListener_onAUnixSocket_isReadWithItsPath() throws Exception {
    ProxyConfig c = ConfigLoader.parse("ferry.yaml", listener("unix:/run/ferry.sock", ""));

    ListenerConfig l = c.listeners().get(0);
    assertThat(l.socket()).isEqualTo(Path.of("/run/ferry.sock"));
    assertThat(l.host()).isNull();
    assertThat(l.address()).isEqualTo("unix:/run/ferry.sock");
    assertThat(c.clusters().get("c").endpoints())
        .containsExactly(Endpoint.unix(Path.of("/run/greeter.sock"), 1));
  }

  @Test
  void listenFlag_takesUnixSockets_besideTcp() throws Exception {
    ProxyConfig c =
        new FlagConfig(
                List.of("unix:///run/ferry.sock", "127.0.0.1:0"),
                List.of("helloworld.Greeter=unix:/run/greeter.sock"),
                null,
                null,
                null,
                null)
            .toProxyConfig();

    assertThat(c.listeners())
        .extracting(ListenerConfig::address)
        .containsExactly("unix:/run/ferry.sock", "127.0.0.1:0");
    assertThat(c.clusters().get("helloworld.Greeter").endpoints())
        .extracting(Endpoint::toString)
        .containsExactly("unix:/run/greeter.sock");
  }

  @Test
  void oneSocketTwice_howeverWritten_isRefused() {
    List<String> errors =
        FlagConfigTest.errors(
            new FlagConfig(
                List.of("unix:/run/ferry.sock", "unix:///run/./ferry.sock"),
                List.of("a.B=127.0.0.1:1"),
                null,
                null,
                null,
                null));

    assertThat(errors)
        .containsExactly(
            "--listen unix:///run/./ferry.sock: listener address unix:/run/./ferry.sock is given"
                + " twice");
  }

  @Test
  void badSocketAddress_isOneErrorAtItsLine() {
    assertThat(error(listener("'unix:'", "")))
        .isEqualTo(
            "ferry.yaml:2:5: listeners[0].address: 'unix:' names no socket file; expected"
                + " unix:/path, such as unix:/run/app.sock");
  }

  @Test
  void aclByAddress_onAUnixSocketListener_isRefused() {
    assertThat(error(listener("unix:/run/ferry.sock", "    acl: { allow: [10.0.0.0/8] }\n")))
        .startsWith("ferry.yaml:6:5: listeners[0].acl: allow and deny match IP addresses,");
  }
}
