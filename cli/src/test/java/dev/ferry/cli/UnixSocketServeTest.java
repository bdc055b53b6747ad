package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.cli.exit.ExitCodes;
import dev.ferry.testservers.ExampleRestServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * `ferry greeter --unix` and `ferry serve` on Unix sockets, end to end over real socket files: the
 * example backend's lines, ferry call, python grpcio and curl through the proxy, and the files gone
 * after a clean stop.
 */
class UnixSocketServeTest {
  private static final boolean CI = "true".equals(System.getenv("CI"));

  @TempDir Path dir;
  private final StringWriter err = new StringWriter();
  private final List<Running> running = new ArrayList<>();

  /** A command running in the background until its stop signal. */
  private record Running(StopSignal stop, CompletableFuture<Integer> exit) {}

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).stop().stop();
      running.get(i).exit().get(15, TimeUnit.SECONDS);
    }
  }

  /** Starts {@code args} (greeter or serve), returning the lines it prints. */
  private CapturedLines start(String... args) {
    CapturedLines out = new CapturedLines();
    CommandLine ferry = Main.commandLine(out.printWriter(), new PrintWriter(err, true));
    StopSignal stop = StopSignal.manual();
    Object command = ferry.getSubcommands().get(args[0]).getCommand();
    if (command instanceof ServeCommand serve) {
      serve.stopSignal = stop;
    } else {
      ((GreeterCommand) command).stopSignal = stop;
    }
    running.add(new Running(stop, CompletableFuture.supplyAsync(() -> ferry.execute(args))));
    return out;
  }

  private String call(String... args) {
    StringWriter out = new StringWriter();
    int code =
        Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    assertThat(code).as(err.toString()).isZero();
    return out.toString();
  }

  @Test
  void greeterAndServe_onUnixSockets_answerFerryCall_andRemoveTheirFilesWhenStopped()
      throws Exception {
    Path greeterSocket = dir.resolve("greeter.sock");
    Path proxySocket = dir.resolve("ferry.sock");

    CapturedLines greeter = start("greeter", "--unix", greeterSocket.toString(), "--quiet");
    assertThat(greeter.nextLine()).isEqualTo("listening on unix:" + greeterSocket);
    assertThat(greeter.nextLine()).isEqualTo("  try: ferry call unix:" + greeterSocket + " list");
    CapturedLines serve =
        start(
            "serve",
            "--listen",
            "unix:" + proxySocket,
            "--route",
            "helloworld.Greeter=unix:" + greeterSocket);
    assertThat(serve.nextLine()).isEqualTo("ferry serve: flags");
    assertThat(serve.nextLine()).isEqualTo("listening on unix:" + proxySocket);
    assertThat(serve.nextLine())
        .isEqualTo(
            "  service helloworld.Greeter -> helloworld.Greeter (h2, round_robin): unix:"
                + greeterSocket);

    assertThat(
            call(
                "call",
                "unix:" + proxySocket,
                "helloworld.Greeter/SayHello",
                "-d",
                "{\"name\":\"sock\"}"))
        .contains("\"message\": \"Hello, sock!\"");

    stopEverything();
    running.clear();
    assertThat(proxySocket).doesNotExist();
    assertThat(greeterSocket).doesNotExist();
  }

  @Test
  void pythonGrpcio_andCurl_reachTheProxyOnItsUnixSocket() throws Exception {
    Path greeterSocket = dir.resolve("greeter.sock");
    Path proxySocket = dir.resolve("ferry.sock");
    try (ExampleRestServer rest = ExampleRestServer.start("127.0.0.1", 0)) {
      start("greeter", "--unix", greeterSocket.toString(), "--quiet").nextLine();
      CapturedLines serve =
          start(
              "serve",
              "--listen",
              "unix:" + proxySocket,
              "--route",
              "helloworld.Greeter=unix:" + greeterSocket,
              "--route",
              "/=http://127.0.0.1:" + rest.address().getPort());
      while (!serve.nextLine().startsWith("ready")) {
        // the summary ends with "ready"; the listener is bound before it starts
      }

      if (onPathOrCi("curl", "curl", "--version")) {
        assertThat(run("curl", "-sS", "--unix-socket", proxySocket.toString(), "http://x/api/v1"))
            .contains("/api/v1");
      }
      if (onPathOrCi("python grpcio", "/usr/bin/python3", "-c", "import grpc")) {
        String script =
            """
            import sys, grpc
            with grpc.insecure_channel("unix:" + sys.argv[1]) as ch:
                say = ch.unary_unary("/helloworld.Greeter/SayHello")
                reply = say(b"\\x0a\\x02py", timeout=10)
            sys.stdout.write(reply[2:].decode())
            """;
        assertThat(run("/usr/bin/python3", "-c", script, proxySocket.toString()))
            .isEqualTo("Hello, py!");
      }
    }
  }

  /** Whether {@code program} runs; outside CI a missing one skips the test, under CI it fails. */
  private static boolean onPathOrCi(String what, String... probe) throws Exception {
    boolean present;
    try {
      Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException notFound) {
      present = false;
    }
    if (!CI) {
      assumeTrue(present, what + " is not installed");
    }
    assertThat(present).as(what + " (installed by .ci/run)").isTrue();
    return true;
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(output).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void serve_replacesAStaleSocketFile_andChecksUnixAddresses() throws Exception {
    Path proxySocket = dir.resolve("ferry.sock");
    try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      gone.bind(UnixDomainSocketAddress.of(proxySocket));
    }
    Path config =
        Files.writeString(
            dir.resolve("ferry.yaml"),
            """
            listeners:
              - address: unix:%s
                routes: [ { match: { prefix: / }, cluster: c } ]
            clusters:
              c: { endpoints: [unix:%s] }
            """
                .formatted(proxySocket, dir.resolve("backend.sock")));

    assertThat(call("serve", "--check", "-c", config.toString()))
        .isEqualTo(config + ": OK (1 listener, 1 route, 1 cluster)\n");
    CapturedLines serve = start("serve", "-c", config.toString());
    serve.nextLine();

    assertThat(serve.nextLine()).isEqualTo("listening on unix:" + proxySocket);
    assertThat(running.get(0).exit()).isNotDone();
  }

  @Test
  void serve_onALiveSocket_saysItIsInUse_andExitsOne() throws Exception {
    Path proxySocket = dir.resolve("taken.sock");
    try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      live.bind(UnixDomainSocketAddress.of(proxySocket));
      StringWriter out = new StringWriter();

      int code =
          Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
              .execute(
                  "serve",
                  "--listen",
                  "unix:" + proxySocket,
                  "--route",
                  "helloworld.Greeter=127.0.0.1:1");

      assertThat(code).isEqualTo(ExitCodes.FAILURE);
      assertThat(err.toString())
          .isEqualTo(
              "ferry serve: cannot listen on unix:"
                  + proxySocket
                  + ": the address is already in use (a process listens on the socket)\n");
    }
  }
}
