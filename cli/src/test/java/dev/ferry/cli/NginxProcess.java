package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's nginx run by a test: {@code nginx -t} on a configuration, or nginx in the foreground
 * with a temporary prefix on a loopback port. Where nginx is missing the test is skipped, unless
 * under CI ({@code CI=true}), where .ci/run installs it and a missing nginx is a failure.
 */
final class NginxProcess implements AutoCloseable {
  private final Process process;
  private final Path prefix;

  private NginxProcess(Process process, Path prefix) {
    this.process = process;
    this.prefix = prefix;
  }

  /** The nginx binary on PATH (or in /usr/sbin, which a non-root PATH often lacks). */
  static Path binary() {
    List<String> dirs =
        new ArrayList<>(
            List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.add("/usr/sbin");
    dirs.add("/usr/local/sbin");
    for (String dir : dirs) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "nginx");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(
          "nginx is not installed; .ci/run installs it (apt-get install nginx)");
    }
    Assumptions.assumeTrue(false, "nginx is not installed (under CI=true this fails)");
    return null;
  }

  /** What {@code nginx -t} says of {@code conf}: its exit code and output. */
  record TestResult(int exitCode, String output) {}

  static TestResult test(Path conf, Path prefix) throws IOException, InterruptedException {
    Files.createDirectories(prefix.resolve("logs"));
    Process p =
        new ProcessBuilder(
                binary().toString(),
                "-t",
                "-p",
                prefix.toString() + "/",
                "-e",
                prefix.resolve("logs/error.log").toString(),
                "-c",
                conf.toAbsolutePath().toString(),
                "-g",
                "pid " + prefix.resolve("nginx-t.pid") + ";")
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new TestResult(p.exitValue(), output);
  }

  /** Asserts that nginx itself accepts {@code conf}. */
  static void assertValid(Path conf, Path prefix) throws IOException, InterruptedException {
    TestResult r = test(conf, prefix);
    assertThat(r.exitCode()).as("nginx -t -c %s said:%n%s", conf, r.output()).isZero();
  }

  /**
   * Starts nginx in the foreground with {@code conf}, which listens on {@code port}, and waits
   * until the port takes connections.
   */
  static NginxProcess start(Path conf, Path prefix, int port) throws IOException {
    Files.createDirectories(prefix.resolve("logs"));
    Process p =
        new ProcessBuilder(
                binary().toString(),
                "-p",
                prefix.toString() + "/",
                "-e",
                prefix.resolve("logs/error.log").toString(),
                "-c",
                conf.toAbsolutePath().toString(),
                "-g",
                "daemon off; master_process off; pid " + prefix.resolve("nginx.pid") + ";")
            .redirectErrorStream(true)
            .redirectOutput(prefix.resolve("logs/stdout.log").toFile())
            .start();
    NginxProcess nginx = new NginxProcess(p, prefix);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              if (!p.isAlive()) {
                throw new AssertionError("nginx exited: " + nginx.log());
              }
              return accepts(port);
            });
    return nginx;
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  String log() throws IOException {
    Path error = prefix.resolve("logs/error.log");
    Path stdout = prefix.resolve("logs/stdout.log");
    return (Files.exists(error) ? Files.readString(error) : "")
        + (Files.exists(stdout) ? Files.readString(stdout) : "");
  }

  /**
   * A port free now: bound on port 0 and closed, since nginx cannot be told to pick one. Another
   * process may take it before nginx binds; callers retry once with a new one.
   */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
