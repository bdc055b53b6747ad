package dev.ferry.proxy.config;

import static dev.ferry.proxy.config.ConfigErrorMessagesTest.HEAD;
import static dev.ferry.proxy.config.ConfigLoaderTest.errors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.config.HealthCheckConfig.Panic;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code health_check:}, {@code outlier_detection:} and {@code admin:} as the YAML says them, and
 * their errors.
 */
class HealthCheckConfigTest {
  @Test
  void healthCheck_everyKey_isRead() throws Exception {
    ProxyConfig c =
        ConfigLoader.parse(
            "ferry.yaml",
            HEAD
                + """
                clusters:
                  c:
                    endpoints: [127.0.0.1:1]
                    health_check:
                      interval: 2s
                      timeout: 500ms
                      healthy_threshold: 1
                      unhealthy_threshold: 4
                      jitter: 20%
                      service: helloworld.Greeter
                      authority: greeter.local
                      panic: closed
                admin: { address: 127.0.0.1:0 }
                """);
    assertThat(c.clusters().get("c").healthCheck())
        .isEqualTo(
            new HealthCheckConfig(
                Duration.ofSeconds(2),
                Duration.ofMillis(500),
                1,
                4,
                20,
                "helloworld.Greeter",
                "greeter.local",
                "/healthz",
                Panic.CLOSED));
    assertThat(c.admin()).isEqualTo(new AdminConfig("127.0.0.1", 0));
  }

  @Test
  void healthCheck_empty_takesTheDefaults_andNoneMeansNoChecks() throws Exception {
    ProxyConfig c =
        ConfigLoader.parse(
            "ferry.yaml",
            HEAD
                + "clusters:\n  c: { endpoints: [127.0.0.1:1], health_check: {} }\n"
                + "  d: { endpoints: [127.0.0.1:2] }\n");
    assertThat(c.clusters().get("c").healthCheck())
        .isEqualTo(
            new HealthCheckConfig(
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                2,
                3,
                10,
                "",
                null,
                "/healthz",
                Panic.OPEN));
    assertThat(c.clusters().get("d").healthCheck()).isNull();
    assertThat(c.admin()).isNull();
  }

  @Test
  void healthCheck_errors_nameFileLineAndKey() {
    assertThat(
            errors(
                HEAD
                    + "clusters:\n  c:\n    endpoints: [127.0.0.1:1]\n"
                    + "    health_check: { intervl: 1s, jitter: 120%, panic: shut, path: /x }\n"))
        .containsExactly(
            "ferry.yaml:9:21: clusters.c.health_check.intervl: unknown key (did you mean"
                + " 'interval'?)",
            "ferry.yaml:9:34: clusters.c.health_check.jitter: expected a percentage from 0% to"
                + " 100%, got '120%'",
            "ferry.yaml:9:48: clusters.c.health_check.panic: unknown panic mode 'shut'"
                + " (expected one of: open, closed)",
            "ferry.yaml:9:61: clusters.c.health_check.path: a path is checked over HTTP/1.1:"
                + " this cluster uses h2 (service:)");
  }

  @Test
  void outlierDetection_isRead_withStatusNamesOrCodes() throws Exception {
    ProxyConfig c =
        ConfigLoader.parse(
            "ferry.yaml",
            HEAD
                + """
                clusters:
                  c:
                    endpoints: [127.0.0.1:1]
                    outlier_detection:
                      consecutive_failures: 2
                      statuses: [unavailable, 13]
                      base_ejection_time: 1s
                      max_ejection_time: 10s
                      max_ejection_percent: 30%
                """);
    assertThat(c.clusters().get("c").outlierDetection())
        .isEqualTo(
            new OutlierConfig(
                2, Set.of(14, 13), Duration.ofSeconds(1), Duration.ofSeconds(10), 30));
  }

  @Test
  void outlierDetection_errors_nameFileLineAndKey() {
    assertThat(
            errors(
                HEAD
                    + "clusters:\n  c:\n    endpoints: [127.0.0.1:1]\n"
                    + "    outlier_detection: { statuses: [unavailabel, ok],"
                    + " base_ejection_time: 9s, max_ejection_time: 1s }\n"))
        .containsExactly(
            "ferry.yaml:9:37: clusters.c.outlier_detection.statuses[0]: expected a gRPC status"
                + " code from 0 to 16, or its name such as UNAVAILABLE, got 'unavailabel'",
            "ferry.yaml:9:50: clusters.c.outlier_detection.statuses[1]: OK is a success, not a"
                + " failure");
  }

  @Test
  void retry_isRead_withABackoffRange() throws Exception {
    ProxyConfig c =
        ConfigLoader.parse(
            "ferry.yaml",
            """
            listeners:
              - address: 127.0.0.1:8080
                routes:
                  - match: { service: a.B }
                    cluster: c
                    retry: { on: [unavailable, 8], max_attempts: 4, backoff: 10ms..1s, budget: 5% }
            clusters:
              c: { endpoints: [127.0.0.1:1] }
            """);
    assertThat(c.listeners().get(0).routes().get(0).retry())
        .isEqualTo(
            new RetryPolicy(Set.of(14, 8), 4, Duration.ofMillis(10), Duration.ofSeconds(1), 5));
  }

  @Test
  void retry_errors_nameFileLineAndKey() {
    assertThat(
            errors(
                """
                listeners:
                  - address: 127.0.0.1:8080
                    routes:
                      - match: { service: a.B }
                        cluster: c
                        retry: { on: [], backoff: 1s..10ms, max_attempts: 1 }
                clusters:
                  c: { endpoints: [127.0.0.1:1] }
                """))
        .containsExactly(
            "ferry.yaml:6:18: listeners[0].routes[0].retry.on: expected at least one gRPC"
                + " status, such as [unavailable]",
            "ferry.yaml:6:26: listeners[0].routes[0].retry.backoff: expected a range such as"
                + " 25ms..250ms with 0 < first <= second, got '1s..10ms'",
            "ferry.yaml:6:45: listeners[0].routes[0].retry.max_attempts: expected a whole number"
                + " from 2 to 10, got 1");
  }

  @Test
  void examplesProductionYaml_loads_withEveryProductionKey() throws Exception {
    ProxyConfig c = ConfigLoader.load(java.nio.file.Path.of("..", "examples", "production.yaml"));
    assertThat(c.admin()).isEqualTo(new AdminConfig("127.0.0.1", 9901));
    assertThat(c.clusters().get("daininki").outlierDetection().statuses()).contains(14, 13);
    assertThat(c.clusters().get("rest").healthCheck().path()).isEqualTo("/healthz");
    assertThat(c.listeners().get(0).routes().get(1).retry().budgetPercent()).isEqualTo(20);
  }
}
