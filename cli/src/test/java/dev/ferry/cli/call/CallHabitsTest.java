package dev.ferry.cli.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.ferry.cli.Main;
import dev.ferry.testservers.ExampleServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The grpcurl habits of {@code ferry call}: describe alone, did-you-mean, unix: targets, names. */
@Timeout(60)
class CallHabitsTest {
  private static ExampleServer greeter;
  private static ExampleServer daininki;
  private final WatchedWriter out = new WatchedWriter();
  private final WatchedWriter err = new WatchedWriter();
  @TempDir Path dir;

  @BeforeAll
  static void startBackends() throws Exception {
    greeter = ExampleServer.builder(ExampleServer.Kind.GREETER).start();
    daininki = ExampleServer.builder(ExampleServer.Kind.DAININKI).id("d1").start();
  }

  @AfterAll
  static void stopBackends() {
    greeter.close();
    daininki.close();
  }

  private int run(String... args) {
    return Main.commandLine(
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out, true),
            new PrintWriter(err, true))
        .execute(args);
  }

  @Test
  void describeWithNoSymbol_describesEveryService() {
    assertThat(run("call", greeter.authority(), "describe")).isZero();

    assertThat(out.toString())
        .contains("service Greeter {")
        .contains("service Health {")
        .contains("service ServerReflection {");
  }

  @Test
  void mistypedService_getsDidYouMean() {
    assertThat(run("call", greeter.authority(), "helloworld.Greter/SayHello")).isEqualTo(1);

    assertThat(err.toString())
        .contains("no service named helloworld.Greter; did you mean helloworld.Greeter?");
  }

  @Test
  void mistypedServiceInDescribe_getsDidYouMean() {
    assertThat(run("call", greeter.authority(), "describe", "helloworld.greeter")).isEqualTo(1);

    assertThat(err.toString()).contains("did you mean helloworld.Greeter?");
  }

  @Test
  void mistypedMethod_getsDidYouMean() {
    assertThat(run("call", greeter.authority(), "helloworld.Greeter/SayHelo")).isEqualTo(1);

    assertThat(err.toString()).contains("has no method SayHelo; did you mean SayHello?");
  }

  @Test
  void responses_printProtoFieldNames_andRequestsTakeEitherSpelling() {
    String method = "helloworld.Daininki/Vote";
    assertThat(run("call", daininki.authority(), method, "-d", "{\"candidate\":\"ann\"}")).isZero();

    assertThat(out.toString()).contains("\"served_by\": \"d1\"").doesNotContain("servedBy");
    assertThat(
            run(
                "call",
                daininki.authority(),
                method,
                "-d",
                "{\"candidate\":\"ann\"}",
                "--expect",
                "{\"servedBy\":\"d1\"}"))
        .isZero();
  }

  @Test
  void failedExpect_showsTheResponseItGot() {
    assertThat(
            run(
                "call",
                greeter.authority(),
                "helloworld.Greeter/SayHello",
                "-d",
                "{\"name\":\"e\"}",
                "--expect",
                "{\"message\":\"no\"}"))
        .isEqualTo(1);

    assertThat(err.toString())
        .contains("no response contains {\"message\":\"no\"} (1 response(s); got:)")
        .contains("  {\"message\":\"Hello, e!\"}");
  }

  @Test
  void unixTarget_callsAServerOnADomainSocket() throws Exception {
    Path socket = dir.resolve("greeter.sock");
    try (ExampleServer server =
        ExampleServer.builder(ExampleServer.Kind.GREETER).unixSocket(socket).start()) {
      assertThat(
              run(
                  "call",
                  "unix:" + socket,
                  "helloworld.Greeter/SayHello",
                  "-d",
                  "{\"name\":\"sock\"}"))
          .as(err.toString())
          .isZero();
      assertThat(
              run(
                  "call",
                  "unix://" + socket,
                  "helloworld.Greeter/SayHello",
                  "-d",
                  "{\"name\":\"again\"}"))
          .as(err.toString())
          .isZero();
    }

    assertThat(out.toString()).contains("Hello, sock!").contains("Hello, again!");
  }

  @Test
  void unixTargetWithNoSocketFile_saysSoInOneLine() {
    Path missing = dir.resolve("absent.sock");

    assertThat(run("call", "unix:" + missing, "list")).isEqualTo(64 + 14);

    assertThat(err.toString()).contains("no such socket: " + missing).doesNotContain("\tat ");
  }

  @Test
  void unixTargetThatIsARegularFile_saysItIsNotASocket() throws Exception {
    Path file = Files.writeString(dir.resolve("plain.txt"), "not a socket");

    assertThat(run("call", "unix:" + file, "list")).isEqualTo(64 + 14);

    assertThat(err.toString())
        .contains(file + " is a regular file, not a socket")
        .doesNotContain("\tat ");
  }

  @Test
  void unixTargetNobodyListensOn_saysNoProcessListens() throws Exception {
    Path stale = dir.resolve("stale.sock");
    try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      gone.bind(UnixDomainSocketAddress.of(stale));
    }

    assertThat(run("call", "unix:" + stale, "list")).isEqualTo(64 + 14);

    assertThat(err.toString())
        .contains(
            "connection refused by unix:"
                + stale
                + ": no process listens on the socket (a file left by a server that ended?)")
        .doesNotContain("\tat ");
  }

  @Test
  void unixTargetWithoutWritePermission_saysPermissionDenied() throws Exception {
    // root may connect whatever the permissions say.
    assumeFalse("root".equals(System.getProperty("user.name")), "running as root");
    Path socket = dir.resolve("private.sock");
    try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      live.bind(UnixDomainSocketAddress.of(socket));
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("r--------"));

      assertThat(run("call", "unix:" + socket, "list")).isEqualTo(64 + 14);
    }

    assertThat(err.toString()).contains("permission denied on unix:" + socket);
  }
}
