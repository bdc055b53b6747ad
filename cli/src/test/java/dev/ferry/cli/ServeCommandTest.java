package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    return Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  @Test
  void checkOfTheExample_printsOkWithCounts() {
    String example = Path.of("..", "examples", "ferry.yaml").toString();
    assertThat(run("serve", "--check", "-c", example)).isEqualTo(0);
    assertThat(out.toString()).isEqualTo(example + ": OK (1 listener, 3 routes, 3 clusters)\n");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void checkOfFlags_printsOkWithCounts() {
    int code =
        run(
            "serve",
            "--check",
            "--listen",
            "127.0.0.1:8080",
            "--route",
            "helloworld.Greeter=127.0.0.1:50051",
            "--route",
            "helloworld.Daininki=127.0.0.1:50052,127.0.0.1:50053",
            "--route",
            "/=http://127.0.0.1:8000");
    assertThat(code).isEqualTo(0);
    assertThat(out.toString()).isEqualTo("flags: OK (1 listener, 3 routes, 3 clusters)\n");
  }

  @Test
  void checkOfABrokenFile_printsEveryErrorOnePerLineAndExits1(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ferry.yaml");
    Files.writeString(
        file,
        """
        listeners:
          - address: 127.0.0.1:8080
            routes:
              - match: { service: helloworld.Daininki }
                cluster: dainiki
        clusters:
          daininki: { endpoints: [127.0.0.1:50052], balance: fastest }
        """);
    assertThat(run("serve", "--check", "-c", file.toString())).isEqualTo(1);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString())
        .isEqualTo(
            file
                + ":5:9: listeners[0].routes[0].cluster: no cluster named 'dainiki' (did you mean"
                + " 'daininki'?)\n"
                + file
                + ":7:45: clusters.daininki.balance: unknown balance policy 'fastest'; expected one"
                + " of: round_robin, weighted_round_robin, least_request, random, ring_hash\n");
  }

  @Test
  void checkCatchesWhatStartRefuses_andWarnsOfNamesThatDoNotResolve(@TempDir Path dir)
      throws Exception {
    Path notPem = Files.writeString(dir.resolve("server.pem"), "not a certificate\n");
    Path file = dir.resolve("ferry.yaml");
    Files.writeString(
        file,
        """
        listeners:
          - address: 127.0.0.1:8443
            tls: { cert: %s, key: %s }
            routes: [ { match: { prefix: / }, cluster: c } ]
          - address: localhost:8443
            routes: [ { match: { prefix: / }, cluster: c } ]
        clusters:
          c: { endpoints: ['no-such-host.invalid:1'] }
        """
            .formatted(notPem, notPem));
    assertThat(run("serve", "--check", "-c", file.toString())).isEqualTo(1);
    assertThat(err.toString())
        .contains(file + ":3:12: listeners[0].tls.cert: " + notPem + ": not a PEM certificate file")
        .contains("listeners[0].tls.key: " + notPem + ": not a PEM private key file")
        .contains(
            file
                + ":5:5: listeners[1].address: listener address localhost:8443 is the same socket"
                + " as 127.0.0.1:8443");

    Files.writeString(
        file,
        """
        listeners:
          - address: 127.0.0.1:8443
            routes: [ { match: { prefix: / }, cluster: c } ]
        clusters:
          c: { endpoints: ['no-such-host.invalid:1'] }
        """);
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    assertThat(run("serve", "--check", "-c", file.toString())).isEqualTo(0);
    assertThat(err.toString())
        .isEqualTo(
            file
                + ":5:20: clusters.c.endpoints[0]: warning: host name 'no-such-host.invalid' does"
                + " not resolve now; the endpoint gets no calls until it does (looked up again"
                + " every dns_refresh)\n");
    assertThat(out.toString()).endsWith(": OK (1 listener, 1 route, 1 cluster)\n");
  }

  @Test
  void missingFile_isOneLineAndExits1() {
    assertThat(run("serve", "--check", "-c", "no-such.yaml")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("ferry serve: no such file: no-such.yaml\n");
  }

  @Test
  void badFlags_printEveryErrorAndExit2() {
    int code =
        run(
            "serve",
            "--check",
            "--listen",
            "8080",
            "--route",
            "helloworld.Greeter",
            "--balance",
            "x");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "ferry serve: --balance x: unknown balance policy; expected one of: round_robin,"
                + " weighted_round_robin, least_request, random, ring_hash (ring_hash as"
                + " ring_hash:HEADER)\n"
                + "ferry serve: --route helloworld.Greeter: expected SERVICE=ENDPOINTS or"
                + " /PREFIX=ENDPOINTS, such as helloworld.Greeter=127.0.0.1:50051\n"
                + "ferry serve: --listen 8080: expected host:port such as 127.0.0.1:8080 or"
                + " [::1]:8080, got '8080' (a host is needed: 127.0.0.1:8080?) (see 'ferry serve"
                + " --help')\n");
  }

  @Test
  void configFileWithFlags_isRefusedInOneSentence() {
    int code =
        run("serve", "-c", "ferry.yaml", "--route", "a.B=127.0.0.1:1", "--balance", "random");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "ferry serve: -c/--config cannot be combined with --route, --balance: put everything"
                + " in the file, or use flags only (see 'ferry serve --help')\n");
  }

  @Test
  void neitherFileNorRoute_isAUsageError() {
    assertThat(run("serve")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "ferry serve: give a configuration file (-c ferry.yaml) or at least one --route (see"
                + " 'ferry serve --help')\n");
  }

  @Test
  void unknownOption_isAUsageError() {
    assertThat(run("serve", "--rout", "a.B=127.0.0.1:1")).isEqualTo(2);
    assertThat(err.toString()).startsWith("ferry serve: Unknown options: '--rout'");
  }

  @Test
  void help_showsExamples() {
    assertThat(run("serve", "--help")).isEqualTo(0);
    assertThat(out.toString())
        .contains("Usage: ferry serve")
        .contains("--check")
        .contains("ferry serve -c ferry.yaml")
        .contains("--route helloworld.Greeter=127.0.0.1:50051");
  }
}
