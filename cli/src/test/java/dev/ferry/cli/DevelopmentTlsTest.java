package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.exit.ExitCodes;
import dev.ferry.proxy.tls.SelfSignedCertificates;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --tls self-signed} end to end: the command prints the CA and the call line, and a
 * grpc-java client trusting exactly that CA file gets its answer.
 */
class DevelopmentTlsTest {
  private static final Pattern CALL_LINE =
      Pattern.compile("  ferry call --cacert (\\S+) (\\S+) list");

  private final CapturedLines out = new CapturedLines();
  private final StringWriter err = new StringWriter();
  private final CommandLine ferry = Main.commandLine(out.printWriter(), new PrintWriter(err, true));
  private final List<AutoCloseable> resources = new ArrayList<>();
  private StopSignal stop;
  private CompletableFuture<Integer> running;

  @TempDir Path dir;

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    if (running != null) {
      stop.stop();
      assertThat(running.get(15, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    }
  }

  private Map<String, String> env() {
    return Map.of(SelfSignedCertificates.DIRECTORY_ENV, dir.resolve("tls").toString());
  }

  @Test
  void developmentTlsDirectory_isUnderHomeOfTheEnvironment() {
    assertThat(SelfSignedCertificates.directory(Map.of("HOME", "/home/elsewhere")))
        .isEqualTo(Path.of("/home/elsewhere", ".config", "ferry", "tls"));
  }

  @Test
  void serveSelfSigned_printsTheCaAndACallLine_thatAGrpcClientCanFollow() throws Exception {
    ExampleServer greeter = ExampleServer.builder(ExampleServer.Kind.GREETER).start();
    resources.add(greeter);
    ServeCommand serve = (ServeCommand) ferry.getSubcommands().get("serve").getCommand();
    serve.environment = env();
    serve.stopSignal = stop = StopSignal.manual();
    running =
        CompletableFuture.supplyAsync(
            () ->
                ferry.execute(
                    "serve",
                    "--tls",
                    "self-signed",
                    "--listen",
                    "127.0.0.1:0",
                    "--route",
                    "helloworld.Greeter=" + greeter.authority()));

    Matcher call = waitForCallLine();
    Path ca = Path.of(call.group(1));

    assertThat(ca).isEqualTo(dir.resolve("tls").resolve("ca.pem").toAbsolutePath());
    assertThat(out.lines()).anyMatch(l -> l.matches("listening on 127\\.0\\.0\\.1:\\d+ \\(TLS\\)"));
    assertThat(out.lines())
        .anyMatch(l -> l.startsWith("TLS: created a new CA and the development certificate"));
    assertThat(hello(call.group(2), ca)).isEqualTo("Hello, tls!");
  }

  @Test
  void thePrintedCallLine_worksAsPrinted() throws Exception {
    ExampleServer greeter = ExampleServer.builder(ExampleServer.Kind.GREETER).start();
    resources.add(greeter);
    ServeCommand serve = (ServeCommand) ferry.getSubcommands().get("serve").getCommand();
    serve.environment = env();
    serve.stopSignal = stop = StopSignal.manual();
    running =
        CompletableFuture.supplyAsync(
            () ->
                ferry.execute(
                    "serve",
                    "--tls",
                    "self-signed",
                    "--listen",
                    "127.0.0.1:0",
                    "--route",
                    "/=" + greeter.authority()));
    Matcher call = waitForCallLine();
    StringWriter callOut = new StringWriter();
    StringWriter callErr = new StringWriter();

    int exit =
        Main.commandLine(new PrintWriter(callOut, true), new PrintWriter(callErr, true))
            .execute(call.group(0).trim().substring("ferry ".length()).split(" "));

    assertThat(exit).as(callErr.toString()).isEqualTo(ExitCodes.OK);
    assertThat(callOut.toString()).contains("helloworld.Greeter");
  }

  @Test
  void greeterSelfSigned_reusesTheCaOfAnEarlierRun() throws Exception {
    Path firstCa =
        SelfSignedCertificates.ensure(dir.resolve("tls"), java.time.Instant.now()).caCertificate();
    String before = Files.readString(firstCa);
    GreeterCommand greeter = (GreeterCommand) ferry.getSubcommands().get("greeter").getCommand();
    greeter.stopSignal = stop = StopSignal.manual();
    running =
        CompletableFuture.supplyAsync(
            () -> {
              greeter.options.environment = env();
              return ferry.execute("greeter", "--port", "0", "--quiet", "--tls", "self-signed");
            });

    Matcher call = waitForCallLine();

    assertThat(out.lines()).anyMatch(l -> l.startsWith("TLS: reusing the development certificate"));
    assertThat(Files.readString(Path.of(call.group(1)))).isEqualTo(before);
    assertThat(hello(call.group(2), Path.of(call.group(1)))).isEqualTo("Hello, tls!");
  }

  @Test
  void secureExample_passesTheCheck_withoutCreatingCertificates() {
    String example = Path.of("..", "examples", "secure.yaml").toString();

    int exit = ferry.execute("serve", "--check", "-c", example);

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(out.lines()).containsExactly(example + ": OK (1 listener, 3 routes, 3 clusters)");
    assertThat(dir.resolve("tls")).doesNotExist();
  }

  @Test
  void tlsWithAnythingButSelfSigned_isAUsageError() {
    int exit = ferry.execute("serve", "--tls", "yes", "--route", "helloworld.Greeter=127.0.0.1:1");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--tls: expected self-signed, got 'yes'");
  }

  private Matcher waitForCallLine() throws InterruptedException {
    while (true) {
      String line = out.nextLine();
      Matcher m = CALL_LINE.matcher(line);
      if (m.matches()) {
        return m;
      }
    }
  }

  private String hello(String address, Path ca) throws Exception {
    ManagedChannel ch =
        Grpc.newChannelBuilder(
                address, TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build())
            .build();
    resources.add(() -> ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return GreeterGrpc.newBlockingStub(ch)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .sayHello(HelloRequest.newBuilder().setName("tls").build())
        .getMessage();
  }
}
