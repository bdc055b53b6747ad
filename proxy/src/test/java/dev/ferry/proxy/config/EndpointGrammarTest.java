package dev.ferry.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.proxy.config.ClusterConfig.Protocol;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One endpoint grammar: a {@code --route} and a YAML cluster read the same text the same way. */
class EndpointGrammarTest {
  private static ClusterConfig fromFlag(String endpoint) throws Exception {
    ProxyConfig c =
        new FlagConfig(List.of(), List.of("a.B=" + endpoint), null, null, null, null)
            .toProxyConfig();
    return c.clusters().values().iterator().next();
  }

  private static ClusterConfig fromYaml(String endpoint) throws Exception {
    ProxyConfig c =
        ConfigLoader.parse(
            "ferry.yaml",
            ConfigErrorMessagesTest.HEAD + "clusters:\n  c: { endpoints: ['" + endpoint + "'] }\n");
    return c.clusters().get("c");
  }

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1:50051, 127.0.0.1:50051, H2, false",
    "http://127.0.0.1:8000, 127.0.0.1:8000, HTTP1, false",
    "http://127.0.0.1:8000/, 127.0.0.1:8000, HTTP1, false",
    "HTTP://localhost:8000, localhost:8000, HTTP1, false",
    "https://api.local:443, api.local:443, HTTP1, true",
    "grpcs://[::1]:50051, [::1]:50051, H2, true",
    "unix:/run/app.sock, unix:/run/app.sock, H2, false",
    "unix:///run/app.sock, unix:/run/app.sock, H2, false",
    "unix:app.sock, unix:app.sock, H2, false",
    "http://unix:/run/rest.sock, unix:/run/rest.sock, HTTP1, false",
    "grpcs://unix:/run/app.sock, unix:/run/app.sock, H2, true",
  })
  void flagAndYaml_readTheSameEndpoint(
      String written, String address, Protocol protocol, boolean tls) throws Exception {
    for (ClusterConfig c : List.of(fromFlag(written), fromYaml(written))) {
      assertThat(c.endpoints()).extracting(Endpoint::toString).containsExactly(address);
      assertThat(c.protocol()).isEqualTo(protocol);
      assertThat(c.tls() != null).isEqualTo(tls);
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "grpc://a:1 | unknown scheme 'grpc://' in 'grpc://a:1' (expected: http://, https://,"
            + " grpcs:// or none)",
        "http://a | expected host:port such as 127.0.0.1:8080 or [::1]:8080, got 'a'",
        "http://a:1/api | '1/api' is not a port number",
        "unix: | 'unix:' names no socket file; expected unix:/path",
        "unix://host/a.sock | 'unix://host/a.sock' names a host; expected unix:/absolute/path",
        "http://unix:/run/ | 'unix:/run/' ends with /, so it names a directory",
        "unix:/run/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sock"
            + " | socket path /run/aaaa",
      })
  void badEndpoints_areRefusedWithOneMessage(String written, String message) {
    assertThatThrownBy(() -> EndpointUri.parse(written))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }
}
