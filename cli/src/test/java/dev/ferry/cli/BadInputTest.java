package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.RefusedPort;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input of every kind (arguments, files, JSON, headers, targets, .proto files, protosets,
 * scripts, serve configs, trace and backend options) through the whole command line: each gets a
 * message naming what is wrong, its documented exit code, and never a stack frame or a "null".
 */
@Timeout(60)
class BadInputTest {
  private static final int USAGE = 2;
  private static final int FAILURE = 1;
  private static final int UNAVAILABLE = 64 + 14;

  /** A line that starts like a stack frame or a printed exception, or a library's log line. */
  private static final Pattern TRACE_LIKE =
      Pattern.compile(
          "^(\\s+at |\\S*(Exception|Error)\\b|Caused by|(SEVERE|WARNING|INFO): |[A-Z][a-z]{2} \\d\\d,"
              + " \\d{4} )");

  private static final Pattern NULL = Pattern.compile("\\bnull\\b");

  @TempDir static Path dir;
  private static ExampleServer greeter;
  private static RefusedPort refused;
  private static String closedPort;
  // A socket file some process listens on, for the "address in use" cases.
  private static ServerSocketChannel liveSocket;
  private static final String LONG_SOCKET = "$DIR/" + "s".repeat(120) + ".sock";

  @BeforeAll
  static void start() throws IOException {
    greeter = ExampleServer.builder(ExampleServer.Kind.GREETER).start();
    refused = RefusedPort.open();
    closedPort = refused.hostPort();
    Files.createDirectories(dir.resolve("adir"));
    liveSocket = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    liveSocket.bind(UnixDomainSocketAddress.of(dir.resolve("live.sock")));
    try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      // The JDK leaves the file when the channel closes: a socket nobody listens on.
      gone.bind(UnixDomainSocketAddress.of(dir.resolve("stale.sock")));
    }
    Files.write(dir.resolve("binary"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80});
    write("not-utf8.yaml", new byte[] {'c', 'a', 'l', 'l', 's', ':', ' ', (byte) 0xff, '\n'});
    write("not-yaml.yaml", "calls: [\n  {method: a\n");
    write("unknown-key.yaml", "calls:\n  - method: helloworld.Greeter/SayHello\n    bogus: 1\n");
    write("no-calls.yaml", "targets: [127.0.0.1:1]\ncalls: []\n");
    write(
        "bad-expect.yaml", "calls:\n  - method: helloworld.Greeter/SayHello\n    expect: '{bad'\n");
    write("bad-status.yaml", "calls:\n  - method: a.B/C\n    expect_status: NOPE\n");
    write("bad-deadline.yaml", "calls:\n  - method: a.B/C\n    deadline: soon\n");
    write("list.yaml", "- 1\n- 2\n");
    write("syntax.proto", "syntax = \"proto3\";\nmessage A { string a = 1 }\n");
    write("unknown-type.proto", "syntax = \"proto3\";\nmessage A { Nope a = 1; }\n");
    write("bad-import.proto", "syntax = \"proto3\";\nimport \"missing.proto\";\n");
    write("garbage.protoset", "this is no FileDescriptorSet");
    write("bad-config.yaml", "listeners: [\n");
    write(
        "unknown-cluster.yaml",
        "listeners:\n  - address: 127.0.0.1:0\n    routes:\n      - match: { prefix: / }\n"
            + "        cluster: nope\nclusters: {}\n");
    write("config-list.yaml", "- a\n- b\n");
  }

  @AfterAll
  static void stop() throws IOException {
    liveSocket.close();
    refused.close();
    greeter.close();
  }

  private static void write(String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private static void write(String name, byte[] bytes) throws IOException {
    Files.write(dir.resolve(name), bytes);
  }

  static Stream<Arguments> badInputs() {
    String m = "helloworld.Greeter/SayHello";
    return Stream.of(
        // call: the command line
        bad(USAGE, "missing ADDRESS", "call"),
        bad(USAGE, "--plaintext cannot be combined", "call", "--plaintext", "--insecure", "$A"),
        bad(USAGE, "--cert and --key go together", "call", "--cert", "c.pem", "$A"),
        bad(USAGE, "--insecure trusts any", "call", "--insecure", "--cacert", "ca.pem", "$A"),
        bad(USAGE, "--max-msg-size 0", "call", "--max-msg-size", "0", "$A"),
        bad(USAGE, "--max-msg-size", "call", "--max-msg-size", "lots", "$A"),
        bad(USAGE, "--connect-timeout", "call", "--connect-timeout", "soon", "$A"),
        bad(USAGE, "not both", "call", "--proto", "a.proto", "--protoset", "b.pb", "$A"),
        bad(USAGE, "--import-path goes with --proto", "call", "--import-path", "d", "$A"),
        bad(USAGE, "--junit goes with --script", "call", "--junit", "j.xml", "$A"),
        bad(USAGE, "not list", "call", "-n", "5", "$A", "list"),
        bad(USAGE, "--template goes with describe", "call", "$A", m, "--template"),
        bad(USAGE, "-d goes with a method call", "call", "$A", "list", "-d", "{}"),
        bad(
            USAGE,
            "--template needs a message or a method",
            "call",
            "$A",
            "describe",
            "--template"),
        bad(USAGE, "unexpected argument", "call", "$A", m, "extra"),
        bad(USAGE, "--interactive takes the method", "call", "--interactive", "$A", m),
        bad(
            USAGE,
            "--expect and --expect-status check one call",
            "call",
            "-n",
            "2",
            "$A",
            m,
            "--expect",
            "{}"),
        bad(USAGE, "Unknown option", "call", "--bogus", "$A"),
        bad(USAGE, "is a directory", "call", "$A", m, "-n", "1", "--report", "html", "$DIR/adir"),
        bad(
            USAGE,
            "no directory",
            "call",
            "$A",
            m,
            "-n",
            "1",
            "--report",
            "html",
            "$DIR/missing/load.html"),
        bad(
            USAGE,
            "expected: html FILE, json FILE or csv FILE",
            "call",
            "$A",
            m,
            "-n",
            "1",
            "--report",
            "pdf",
            "load.pdf"),
        bad(USAGE, "did you mean", "gretter"),
        // call: headers
        bad(USAGE, "expected 'name: value'", "call", "$A", m, "-H", "novalue"),
        bad(USAGE, "not a valid header name", "call", "$A", m, "-H", "Bad Name: x"),
        bad(USAGE, "reserved for gRPC", "call", "$A", m, "-H", "grpc-timeout: 1S"),
        bad(USAGE, "carriage return (CR)", "call", "$A", m, "-H", "x-a: b\r\nx-c: d"),
        bad(USAGE, "line feed (LF)", "call", "$A", m, "-H", "x-a: b\nx-c: d"),
        bad(USAGE, "non-ASCII character U+00E9", "call", "$A", m, "-H", "x-a: caf\u00e9"),
        bad(USAGE, "control character U+0000", "call", "$A", m, "-H", "x-a: a\u0000b"),
        bad(USAGE, "must be base64", "call", "$A", m, "-H", "x-bin: !!!"),
        bad(
            USAGE,
            "is not set",
            "call",
            "--expand-headers",
            "$A",
            m,
            "-H",
            "x-a: ${FERRY_BAD_INPUT_TEST_UNSET}"),
        // call: expectations
        bad(USAGE, "--expect '{bad' is not JSON", "call", "$A", m, "--expect", "{bad"),
        bad(USAGE, "--expect '' is not JSON", "call", "$A", m, "--expect", ""),
        bad(USAGE, "--expect-status 99", "call", "$A", m, "--expect-status", "99"),
        bad(USAGE, "is not a gRPC status", "call", "$A", m, "--expect-status", "NOPE"),
        // call: the request, inline and in files
        bad(USAGE, "-d @: give a file", "call", "$A", m, "-d", "@"),
        bad(FAILURE, "is a directory", "call", "$A", m, "-d", "@$DIR/adir"),
        bad(FAILURE, "no such file", "call", "$A", m, "-d", "@$DIR/missing.json"),
        bad(FAILURE, "not UTF-8 text", "call", "$A", m, "-d", "@$DIR/binary"),
        bad(FAILURE, "lone surrogate", "call", "$A", m, "-d", "{\"name\":\"\\ud800\"}"),
        bad(FAILURE, "lone surrogate", "call", "$A", m, "-d", "{\"name\":\"a\\udc00b\"}"),
        bad(FAILURE, "is not a helloworld.HelloRequest", "call", "$A", m, "-d", "{\"nope\": 1}"),
        bad(FAILURE, "takes one request message", "call", "$A", m, "-d", "{} {}"),
        bad(FAILURE, "", "call", "$A", m, "-d", "{bad"),
        bad(FAILURE, "", "call", "$A", m, "-d", "[1, 2]"),
        // call: symbols
        bad(FAILURE, "", "call", "$A", "describe", "no.such.Symbol"),
        bad(FAILURE, "", "call", "$A", "no.such.Service/Method"),
        bad(FAILURE, "", "call", "$A", "helloworld.Greeter/NoSuchMethod"),
        bad(FAILURE, "", "call", "$A", "list", "helloworld.HelloRequest"),
        bad(FAILURE, "", "call", "$A", "describe", "helloworld.Greeter", "--template"),
        // call: targets
        bad(USAGE, "", "call", "nocolon", "list"),
        bad(USAGE, "", "call", "127.0.0.1:99999", "list"),
        bad(USAGE, "", "call", "127.0.0.1:port", "list"),
        bad(UNAVAILABLE, "connection refused", "call", "--plaintext", "$CLOSED", m),
        bad(UNAVAILABLE, "connection refused", "call", "$CLOSED", m),
        bad(
            UNAVAILABLE,
            "unknown host nohost.invalid",
            "call",
            "--plaintext",
            "nohost.invalid:1",
            m),
        bad(UNAVAILABLE, "unknown host nohost.invalid", "call", "nohost.invalid:1", m),
        bad(FAILURE, "--cacert", "call", "--cacert", "$DIR/missing.pem", "$A", "list"),
        bad(FAILURE, "--cert", "call", "--cert", "$DIR/adir", "--key", "k", "$A", "list"),
        // call: schemas from files
        bad(FAILURE, "", "call", "--proto", "$DIR/missing.proto", "$A", "list"),
        bad(FAILURE, "syntax.proto", "call", "--proto", "$DIR/syntax.proto", "$A", "list"),
        bad(FAILURE, "", "call", "--proto", "$DIR/unknown-type.proto", "$A", "list"),
        bad(FAILURE, "missing.proto", "call", "--proto", "$DIR/bad-import.proto", "$A", "list"),
        bad(FAILURE, "", "call", "--protoset", "$DIR/missing.protoset", "$A", "list"),
        bad(FAILURE, "", "call", "--protoset", "$DIR/garbage.protoset", "$A", "list"),
        bad(FAILURE, "", "call", "--protoset", "$DIR/adir", "$A", "list"),
        // call: scripts
        bad(USAGE, "--script runs the calls", "call", "--script", "s.yaml", "$A", m),
        bad(FAILURE, "not UTF-8 text", "call", "--script", "$DIR/not-utf8.yaml", "$A"),
        bad(FAILURE, "no such file", "call", "--script", "$DIR/missing.yaml", "$A"),
        bad(FAILURE, "directory", "call", "--script", "$DIR/adir", "$A"),
        bad(FAILURE, "not YAML", "call", "--script", "$DIR/not-yaml.yaml", "$A"),
        bad(FAILURE, "bogus", "call", "--script", "$DIR/unknown-key.yaml", "$A"),
        bad(FAILURE, "none given", "call", "--script", "$DIR/no-calls.yaml", "$A"),
        bad(FAILURE, "is not JSON", "call", "--script", "$DIR/bad-expect.yaml", "$A"),
        bad(FAILURE, "expect_status", "call", "--script", "$DIR/bad-status.yaml", "$A"),
        bad(FAILURE, "deadline", "call", "--script", "$DIR/bad-deadline.yaml", "$A"),
        bad(FAILURE, "expected a mapping", "call", "--script", "$DIR/list.yaml", "$A"),
        // trace
        bad(USAGE, "--to", "trace"),
        bad(
            FAILURE,
            "unknown host nohost.invalid",
            "trace",
            "--listen",
            "127.0.0.1:0",
            "--to",
            "nohost.invalid:1"),
        bad(FAILURE, "--listen", "trace", "--listen", "nowhere", "--to", "$CLOSED"),
        bad(FAILURE, "--to", "trace", "--listen", "127.0.0.1:0", "--to", "127.0.0.1"),
        bad(FAILURE, "--frames", "trace", "--to", "$CLOSED", "--frames", "bogus"),
        bad(
            FAILURE,
            "--max-message-bytes",
            "trace",
            "--to",
            "$CLOSED",
            "--max-message-bytes",
            "-1"),
        bad(FAILURE, "go together", "trace", "--to", "$CLOSED", "--tls-cert", "x.pem"),
        // serve
        bad(FAILURE, "", "serve", "-c", "$DIR/missing.yaml"),
        bad(FAILURE, "bad-config.yaml", "serve", "-c", "$DIR/bad-config.yaml"),
        bad(FAILURE, "nope", "serve", "-c", "$DIR/unknown-cluster.yaml"),
        bad(FAILURE, "", "serve", "-c", "$DIR/config-list.yaml"),
        bad(USAGE, "", "serve"),
        bad(USAGE, "", "serve", "-c", "$DIR/bad-config.yaml", "--listen", "127.0.0.1:0"),
        bad(USAGE, "--route nonsense", "serve", "--listen", "127.0.0.1:0", "--route", "nonsense"),
        bad(
            FAILURE,
            "",
            "serve",
            "--listen",
            "256.1.1.1:0",
            "--route",
            "helloworld.Greeter=$CLOSED"),
        bad(USAGE, "", "serve", "--drain-timeout", "soon", "--listen", "127.0.0.1:0"),
        bad(
            USAGE,
            "--cors: origin 'example.com'",
            "serve",
            "--route",
            "a.B=$CLOSED",
            "--cors",
            "example.com"),
        bad(
            USAGE,
            "cannot be combined with --cors",
            "serve",
            "-c",
            "$DIR/bad-config.yaml",
            "--cors",
            "http://127.0.0.1:1"),
        // serve on Unix sockets
        bad(USAGE, "names no socket file", "serve", "--listen", "unix:", "--route", "a.B=$CLOSED"),
        bad(USAGE, "names a host", "serve", "--route", "helloworld.Greeter=unix://host/g.sock"),
        bad(
            USAGE,
            "bytes long",
            "serve",
            "--listen",
            "unix:" + LONG_SOCKET,
            "--route",
            "a.B=$CLOSED"),
        bad(
            FAILURE,
            "no such directory: $DIR/nowhere",
            "serve",
            "--listen",
            "unix:$DIR/nowhere/f.sock",
            "--route",
            "a.B=$CLOSED"),
        bad(
            FAILURE,
            "unix:$DIR/adir: it is a directory",
            "serve",
            "--listen",
            "unix:$DIR/adir",
            "--route",
            "a.B=$CLOSED"),
        bad(
            FAILURE,
            "not a socket",
            "serve",
            "--listen",
            "unix:$DIR/binary",
            "--route",
            "a.B=$CLOSED"),
        bad(
            FAILURE,
            "already in use",
            "serve",
            "--listen",
            "unix:$DIR/live.sock",
            "--route",
            "a.B=$CLOSED"),
        // example backends
        bad(USAGE, "--port: 70000", "greeter", "--port", "70000"),
        bad(USAGE, "--port: -1", "daininki", "--port", "-1"),
        bad(USAGE, "is given twice", "greeter", "--port", "5", "--port", "5"),
        bad(USAGE, "--tls: expected self-signed", "greeter", "--tls", "bogus"),
        bad(USAGE, "go together", "daininki", "--tls-cert", "x.pem"),
        bad(
            FAILURE,
            "no such file",
            "greeter",
            "--port",
            "0",
            "--tls-cert",
            "$DIR/x.pem",
            "--tls-key",
            "$DIR/x.key"),
        bad(USAGE, "Invalid value", "greeter", "--port", "many"),
        bad(USAGE, "cannot be combined", "greeter", "--unix", "$DIR/g.sock", "--port", "0"),
        bad(USAGE, "bytes long", "greeter", "--unix", LONG_SOCKET),
        bad(USAGE, "is given twice", "daininki", "--unix", "$DIR/d.sock", "--unix", "$DIR/d.sock"),
        bad(FAILURE, "unix:$DIR/adir: it is a directory", "daininki", "--unix", "$DIR/adir"),
        bad(FAILURE, "not a socket", "greeter", "--unix", "$DIR/binary"),
        bad(FAILURE, "already in use", "greeter", "--unix", "$DIR/live.sock"),
        bad(FAILURE, "no such directory: $DIR/nowhere", "greeter", "--unix", "$DIR/nowhere/g.sock"),
        // call to Unix sockets
        bad(UNAVAILABLE, "no process listens on", "call", "unix:$DIR/stale.sock", "list"));
  }

  private static Arguments bad(int exit, String fragment, String... args) {
    return Arguments.of(String.join(" ", args), args, exit, fragment);
  }

  @ParameterizedTest(name = "[{index}] ferry {0}")
  @MethodSource("badInputs")
  void badInput_getsOneLineAndItsExitCode(String shown, String[] args, int exit, String fragment) {
    String[] resolved =
        Arrays.stream(args)
            .map(
                a ->
                    a.replace("$A", greeter.authority())
                        .replace("$CLOSED", closedPort)
                        .replace("$DIR", dir.toString()))
            .toArray(String[]::new);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.commandLine(
                new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out, true),
                new PrintWriter(err, true))
            .execute(resolved);
    String fragmentResolved = fragment.replace("$DIR", dir.toString());

    List<String> lines = err.toString().lines().toList();
    assertThat(lines).as("stderr of ferry %s", shown).isNotEmpty();
    if (exit < 64) {
      assertThat(lines.get(0)).as("first line").contains(fragmentResolved);
    }
    assertThat(lines)
        .as("stderr of ferry %s", shown)
        .noneMatch(line -> TRACE_LIKE.matcher(line).find())
        .noneMatch(line -> NULL.matcher(line).find());
    if (exit < 64) {
      assertThat(lines).as("one line for ferry %s", shown).hasSize(1);
    } else {
      assertThat(lines.get(0)).startsWith("ERROR: ");
      assertThat(lines)
          .anyMatch(line -> line.startsWith("  cause: ") && line.contains(fragmentResolved));
    }
    assertThat(out.toString()).as("stdout").doesNotContain("\tat ");
    assertThat(code).as("exit code of ferry %s; stderr: %s", shown, err).isEqualTo(exit);
  }

  @Test
  void template_ofRepeatedScalarsAndMaps_isJson() throws IOException {
    write(
        "lists.proto",
        "syntax = \"proto3\";\npackage t;\nenum E { E0 = 0; E1 = 1; }\n"
            + "message M { repeated int32 n = 1; repeated string s = 2; repeated bytes b = 3;\n"
            + "  repeated E e = 4; map<string, int64> m = 5; map<int32, M> tree = 6; }\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
            .execute(
                "call",
                "--proto",
                dir.resolve("lists.proto").toString(),
                "127.0.0.1:1",
                "describe",
                "t.M",
                "--template");
    assertThat(err.toString()).isEmpty();
    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("\"n\": [0]")
        .contains("\"s\": [\"\"]")
        .contains("\"e\": [\"E0\"]")
        .contains("\"m\": {");
  }
}
