package dev.ferry.proxy.config;

import static dev.ferry.proxy.config.ConfigLoaderTest.error;
import static dev.ferry.proxy.config.SecurityConfigReaderTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code cors:} on a listener and on a route: defaults, inheritance, and the errors. */
class CorsConfigReaderTest {
  private static ProxyConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse("ferry.yaml", yaml);
  }

  @Test
  void listenerCors_onlyOrigins_takesTheDefaultsForGrpcWebAndConnect() throws Exception {
    ListenerConfig l =
        parse(yaml("    cors: { allow_origins: ['http://localhost:5173'] }\n", "", ""))
            .listeners()
            .get(0);

    assertThat(l.cors()).isEqualTo(CorsConfig.allowing(List.of("http://localhost:5173")));
    assertThat(l.cors().exposeHeaders())
        .containsExactly("grpc-status", "grpc-message", "grpc-status-details-bin");
    assertThat(l.cors().allowHeaders())
        .contains(
            "x-grpc-web",
            "x-user-agent",
            "grpc-timeout",
            "connect-protocol-version",
            "connect-timeout-ms",
            "content-type",
            "authorization");
    // Every route without its own cors: answers with the listener's.
    assertThat(l.routes().get(0).policy().cors()).isEqualTo(l.cors());
  }

  @Test
  void routeCors_winsOverTheListeners() throws Exception {
    ListenerConfig l =
        parse(
                yaml(
                    "    cors: { allow_origins: ['*'] }\n",
                    "        cors:\n"
                        + "          allow_origins: ['https://*.example.com']\n"
                        + "          allow_methods: [post]\n"
                        + "          allow_headers: [X-Custom]\n"
                        + "          expose_headers: [grpc-status]\n"
                        + "          allow_credentials: true\n"
                        + "          max_age: 10m\n",
                    ""))
            .listeners()
            .get(0);

    assertThat(l.routes().get(0).policy().cors())
        .isEqualTo(
            new CorsConfig(
                List.of("https://*.example.com"),
                List.of("POST"),
                List.of("x-custom"),
                List.of("grpc-status"),
                true,
                Duration.ofMinutes(10)));
    assertThat(l.cors().allowOrigins()).containsExactly("*");
  }

  @Test
  void noCors_isNullEverywhere() throws Exception {
    ListenerConfig l = parse(yaml("", "", "")).listeners().get(0);
    assertThat(l.cors()).isNull();
    assertThat(l.routes().get(0).policy().cors()).isNull();
  }

  @Test
  void anyOriginWithCredentials_isRefusedWithItsLine() {
    assertThat(
            error(
                yaml("", "        cors: { allow_origins: ['*'], allow_credentials: true }\n", "")))
        .isEqualTo(
            "ferry.yaml:6:39: listeners[0].routes[0].cors.allow_credentials: allow_credentials"
                + " needs named origins: browsers refuse it with '*'");
  }

  @Test
  void malformedOrigin_saysWhatIsExpected() {
    assertThat(error(yaml("    cors: { allow_origins: [example.com] }\n", "", "")))
        .startsWith("ferry.yaml:3:29: listeners[0].cors.allow_origins[0]: ")
        .contains("origin 'example.com' (expected: scheme://host[:port]");
    assertThat(error(yaml("    cors: { allow_origins: ['https://a.*.com'] }\n", "", "")))
        .contains("origin 'https://a.*.com' (expected:");
  }

  @Test
  void missingOrigins_isRequired() {
    assertThat(error(yaml("    cors: { max_age: 1h }\n", "", "")))
        .startsWith("ferry.yaml:3:5: listeners[0].cors.allow_origins: required");
  }
}
