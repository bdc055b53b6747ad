package dev.ferry.cli.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.Main;
import io.grpc.testing.TlsTesting;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS detection, verification options, and the reports for TLS spoken to the wrong port. */
// A hang must fail the build, not stall it.
@org.junit.jupiter.api.Timeout(60)
class CallTlsTest {
  // grpc-testing's server1.pem is issued by its ca.pem for *.test.google.fr, not for 127.0.0.1.
  private static final String NAME_IN_CERT = "foo.test.google.fr";
  private static TestBackend tlsBackend;
  private static TestBackend plainBackend;
  @TempDir static Path dir;
  private static Path ca;
  private final WatchedWriter out = new WatchedWriter();
  private final WatchedWriter err = new WatchedWriter();

  @BeforeAll
  static void start() throws Exception {
    tlsBackend = TestBackend.start(TestBackend.Reflection.V1_AND_V1ALPHA, true);
    plainBackend = TestBackend.start(TestBackend.Reflection.V1_AND_V1ALPHA, false);
    ca = dir.resolve("ca.pem");
    try (InputStream in = TlsTesting.loadCert("ca.pem")) {
      Files.copy(in, ca);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    tlsBackend.close();
    plainBackend.close();
  }

  private int run(String... args) {
    return Main.commandLine(
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out, true),
            new PrintWriter(err, true))
        .execute(args);
  }

  @Test
  void caCertAndAuthority_verifyTheServer() {
    assertThat(
            run(
                "call",
                "-v",
                "--cacert",
                ca.toString(),
                "--authority",
                NAME_IN_CERT,
                tlsBackend.address(),
                "helloworld.Greeter/SayHello",
                "-d",
                "{\"name\":\"tls\"}"))
        .isZero();
    assertThat(out.toString()).contains("Hello, tls!");
    assertThat(err.toString()).contains(": TLS\n");
  }

  @Test
  void noFlags_detectsTls_andSaysTheCertificateIsNotTrusted() {
    assertThat(run("call", "-v", tlsBackend.address(), "list")).isEqualTo(78);
    assertThat(err.toString())
        .contains("TLS, detected")
        .contains("cause: TLS handshake failed: the server's certificate is not signed by a CA")
        .contains("--cacert");
  }

  @Test
  void insecure_acceptsAnyCertificate() {
    assertThat(run("call", "--insecure", tlsBackend.address(), "list")).isZero();
    assertThat(out.toString()).contains("helloworld.Greeter");
  }

  @Test
  void wrongName_pointsAtAuthority() {
    assertThat(run("call", "--cacert", ca.toString(), tlsBackend.address(), "list")).isEqualTo(78);
    assertThat(err.toString()).contains("--authority");
  }

  @Test
  void tlsToPlaintextPort_saysTheServerSpeaksPlaintext() {
    assertThat(run("call", "--insecure", plainBackend.address(), "list")).isEqualTo(78);
    assertThat(err.toString()).contains("does not speak TLS").contains("--plaintext");
  }

  @Test
  void wrongAuthority_isTheNameTheCertificateIsNotFor() {
    assertThat(
            run(
                "call",
                "--cacert",
                ca.toString(),
                "--authority",
                "wrong.example",
                tlsBackend.address(),
                "list"))
        .isEqualTo(78);
    assertThat(err.toString())
        .contains("the certificate is not for wrong.example")
        .doesNotContain("not for 127.0.0.1");
  }

  @Test
  void plaintextToTlsPort_saysToDropPlaintext() {
    assertThat(run("call", "--plaintext", tlsBackend.address(), "list")).isEqualTo(78);
    assertThat(err.toString())
        .contains("closed before any answer came (if it speaks TLS, drop --plaintext");
  }
}
