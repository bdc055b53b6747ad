package dev.ferry.cli.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.Main;
import dev.ferry.cli.call.schema.ProtosetFiles;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.HelloWorldProto;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry call} end to end through the command line, against a real grpc-java server. */
// A hang must fail the build, not stall it.
@org.junit.jupiter.api.Timeout(60)
class CallCommandTest {
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
    return run(new ByteArrayInputStream(new byte[0]), args);
  }

  private int run(InputStream in, String... args) {
    return Main.commandLine(in, new PrintWriter(out, true), new PrintWriter(err, true))
        .execute(args);
  }

  @Test
  void list_namesTheServices() {
    assertThat(run("call", greeter.authority(), "list")).isZero();
    assertThat(out.toString())
        .contains("helloworld.Greeter\n")
        .contains("grpc.reflection.v1.ServerReflection\n");
  }

  @Test
  void listService_namesItsMethods() {
    assertThat(run("call", greeter.authority(), "list", "helloworld.Greeter")).isZero();
    assertThat(out.toString())
        .isEqualTo(
            "helloworld.Greeter.SayHello\nhelloworld.Greeter.SayHelloAgain\n"
                + "helloworld.Greeter.SayHelloStreamReply\nhelloworld.Greeter.SayHelloBidiStream\n"
                + "helloworld.Greeter.SayHelloHttp\n");
  }

  @Test
  void describe_printsProtoSource() {
    assertThat(run("call", greeter.authority(), "describe", "helloworld.Greeter")).isZero();
    assertThat(out.toString())
        .contains("service Greeter {")
        .contains("rpc SayHello (helloworld.HelloRequest) returns (helloworld.HelloReply);");
  }

  @Test
  void describeMethodTemplate_printsRequestSkeleton() {
    assertThat(
            run(
                "call",
                greeter.authority(),
                "describe",
                "helloworld.Greeter/SayHello",
                "--template"))
        .isZero();
    assertThat(out.toString()).isEqualTo("{\n  \"name\": \"\"\n}\n");
  }

  @Test
  void unaryCall_printsTheReplyAsJson() {
    assertThat(
            run(
                "call",
                greeter.authority(),
                "helloworld.Greeter/SayHello",
                "-d",
                "{\"name\":\"ferry\"}"))
        .isZero();
    assertThat(out.toString()).isEqualTo("{\n  \"message\": \"Hello, ferry!\"\n}\n");
  }

  @Test
  void unaryCall_textFormat() {
    assertThat(
            run(
                "call",
                greeter.authority(),
                "helloworld.Greeter/SayHello",
                "--format",
                "text",
                "-d",
                "{\"name\":\"ferry\"}"))
        .isZero();
    assertThat(out.toString()).isEqualTo("message: \"Hello, ferry!\"\n");
  }

  @Test
  void requestFromFile_andFromStdin() throws Exception {
    Path request = Files.writeString(dir.resolve("req.json"), "{\"name\": \"file\"}");
    assertThat(run("call", greeter.authority(), "helloworld.Greeter/SayHello", "-d", "@" + request))
        .isZero();
    InputStream stdin =
        new ByteArrayInputStream("{\"name\":\"stdin\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(run(stdin, "call", greeter.authority(), "helloworld.Greeter/SayHello", "-d", "@-"))
        .isZero();
    assertThat(out.toString()).contains("Hello, file!").contains("Hello, stdin!");
  }

  @Test
  void serverStreaming_printsEveryReply() {
    assertThat(
            run(
                "call",
                greeter.authority(),
                "helloworld.Greeter/SayHelloStreamReply",
                "-d",
                "{\"name\":\"s\"}"))
        .isZero();
    assertThat(out.toString().split("Hello, s!", -1)).hasSize(4);
  }

  @Test
  void bidiStreaming_printsTheFirstReplyBeforeTheInputEnds() throws Exception {
    PipedOutputStream input = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(input);
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                run(
                    stdin,
                    "call",
                    greeter.authority(),
                    "helloworld.Greeter/SayHelloBidiStream",
                    "-d",
                    "@-"));
    input.write("{\"name\":\"first\"}\n".getBytes(StandardCharsets.UTF_8));
    input.flush();
    // The input stays open: the reply can only be here if the request went out as it was read.
    assertThat(out.awaitContains("Hello, first!", 20)).as("first reply while input open").isTrue();
    assertThat(exit).isNotDone();
    input.write("{\"name\":\"second\"}".getBytes(StandardCharsets.UTF_8));
    input.close();
    assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
    assertThat(out.toString()).contains("Hello, second!");
  }

  @Test
  void bidiCallThatTheServerEnds_endsWithoutWaitingForTheInput() throws Exception {
    PipedOutputStream input = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(input);
    // The server fails the call at once; the input stays open and empty, like an idle terminal.
    assertThat(
            run(
                stdin,
                "call",
                daininki.authority(),
                "helloworld.Daininki/Chat",
                "-H",
                "x-fail-status: 10",
                "-d",
                "@-"))
        .isEqualTo(64 + 10);
    assertThat(err.toString()).contains("ERROR: ABORTED (10)");
    input.close();
  }

  @Test
  void badJsonInAStream_cancelsTheCall_exit1() {
    assertThat(
            run(
                "call",
                greeter.authority(),
                "helloworld.Greeter/SayHelloBidiStream",
                "-d",
                "{\"name\":\"a\"} [oops]"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("expected '{' to start request message 2");
  }

  @Test
  void clientStreamingInput_concatenatedObjects_allSent() {
    assertThat(
            run(
                "call",
                greeter.authority(),
                "helloworld.Greeter/SayHelloBidiStream",
                "-d",
                "{\"name\":\"a\"}{\"name\":\"b\"} {\"name\":\"c\"}"))
        .isZero();
    assertThat(out.toString()).contains("Hello, a!", "Hello, b!", "Hello, c!");
  }

  @Test
  void v1alphaOnlyServer_isStillListedAndCalled() throws Exception {
    try (TestBackend old = TestBackend.start(TestBackend.Reflection.V1ALPHA_ONLY, false)) {
      assertThat(run("call", old.address(), "list")).isZero();
      assertThat(out.toString()).contains("helloworld.Greeter").doesNotContain("reflection.v1.");
      assertThat(
              run("call", old.address(), "helloworld.Greeter/SayHello", "-d", "{\"name\":\"x\"}"))
          .isZero();
      assertThat(out.toString()).contains("Hello, x!");
    }
  }

  @Test
  void protoset_callsAServerWithoutReflection() throws Exception {
    Path protoset = ProtosetFiles.write(dir, HelloWorldProto.getDescriptor());
    try (TestBackend bare = TestBackend.start(TestBackend.Reflection.NONE, false)) {
      assertThat(run("call", bare.address(), "list")).isEqualTo(1);
      assertThat(err.toString()).contains("offers no reflection").contains("--protoset");
      assertThat(
              run(
                  "call",
                  "--protoset",
                  protoset.toString(),
                  bare.address(),
                  "helloworld.Greeter/SayHello",
                  "-d",
                  "{\"name\":\"p\"}"))
          .isZero();
      assertThat(out.toString()).contains("Hello, p!");
    }
  }

  @Test
  void protosetListAndDescribe_needNoServer() throws Exception {
    Path protoset = ProtosetFiles.write(dir, HelloWorldProto.getDescriptor());
    // Port 1 has no server: list and describe must not try to connect.
    assertThat(run("call", "--protoset", protoset.toString(), "127.0.0.1:1", "list")).isZero();
    assertThat(out.toString()).isEqualTo("helloworld.Greeter\n");
  }

  @Test
  void injectedUnavailable_exits78_withMeaning() {
    assertThat(
            run(
                "call",
                greeter.authority(),
                "helloworld.Greeter/SayHello",
                "-H",
                "x-fail-status: 14"))
        .isEqualTo(78);
    assertThat(err.toString())
        .contains("ERROR: UNAVAILABLE (14): injected")
        .contains("UNAVAILABLE usually means:");
  }

  @Test
  void statusDetails_areDecoded() throws Exception {
    try (TestBackend withDetails =
        TestBackend.start(TestBackend.Reflection.V1_AND_V1ALPHA, false)) {
      assertThat(
              run(
                  "call",
                  withDetails.address(),
                  "helloworld.Greeter/SayHello",
                  "-d",
                  "{\"name\":\"details\"}"))
          .isEqualTo(64 + 8);
    }
    assertThat(err.toString())
        .contains("ERROR: RESOURCE_EXHAUSTED (8): quota used up")
        .contains("detail: ErrorInfo { reason: \"QUOTA\" domain: \"ferry.dev\" }")
        .contains("detail: RetryInfo { retry_delay { seconds: 3 } }");
  }

  @Test
  void deadline_saysHowLongAndThatNoHeadersCame() {
    assertThat(
            run(
                "call",
                greeter.authority(),
                "helloworld.Greeter/SayHello",
                "--deadline",
                "300ms",
                "-H",
                "x-delay-ms: 5000",
                "-d",
                "{\"name\":\"slow\"}"))
        .isEqualTo(64 + 4);
    assertThat(err.toString())
        .contains("DEADLINE_EXCEEDED (4)")
        .contains("the deadline of 300ms passed; no response headers had arrived");
  }

  @Test
  void clientStreaming_bulkVoteTalliesEveryLine() {
    String votes = "{\"candidate\":\"a\"}\n{\"candidate\":\"b\"}\n{\"candidate\":\"a\"}\n";
    assertThat(
            run(
                new ByteArrayInputStream(votes.getBytes(StandardCharsets.UTF_8)),
                "call",
                daininki.authority(),
                "helloworld.Daininki/BulkVote",
                "-d",
                "@-"))
        .isZero();
    assertThat(out.toString())
        .contains("\"a\": \"2\"")
        .contains("\"b\": \"1\"")
        .contains("\"total\": \"3\"")
        .contains("\"served_by\": \"d1\"");
  }

  @Test
  void serverStreamThatFailsMidway_printsWhatCameThenTheStatus() {
    assertThat(
            run(
                "call",
                daininki.authority(),
                "helloworld.Daininki/Ranking",
                "-H",
                "x-fail-status: 14",
                "-H",
                "x-fail-after: 2",
                "-d",
                "{\"count\":5}"))
        .isEqualTo(78);
    assertThat(out.toString())
        .contains("\"rank\": 1")
        .contains("\"rank\": 2")
        .doesNotContain("\"rank\": 3");
    assertThat(err.toString()).contains("ERROR: UNAVAILABLE (14)");
  }

  @Test
  void emitDefaults_printsZeroFields() {
    assertThat(
            run(
                "call",
                daininki.authority(),
                "helloworld.Daininki/Chat",
                "--emit-defaults",
                "-d",
                "{}"))
        .isZero();
    assertThat(out.toString()).contains("\"text\": \"\"").contains("\"served_by\": \"d1\"");
  }

  @Test
  void binaryHeader_reachesTheServer() {
    // x-fail-message-bin carries UTF-8 the server puts into grpc-message: base64 of "残念".
    assertThat(
            run(
                "call",
                greeter.authority(),
                "helloworld.Greeter/SayHello",
                "-H",
                "x-fail-status: 9",
                "-H",
                "x-fail-message-bin: 5q6L5b+1"))
        .isEqualTo(64 + 9);
    assertThat(err.toString()).contains("ERROR: FAILED_PRECONDITION (9): 残念");
  }

  @Test
  void responseOverMaxMsgSize_namesBothSizes() {
    assertThat(
            run(
                "call",
                greeter.authority(),
                "helloworld.Greeter/SayHello",
                "--max-msg-size",
                "5",
                "-d",
                "{\"name\":\"ferry\"}"))
        .isEqualTo(64 + 8);
    assertThat(err.toString())
        .contains("cause: a message of 15 bytes is over the limit of 5 bytes")
        .contains("raise --max-msg-size");
  }

  @Test
  void connectionRefused_namesTheAddress_exits78() {
    assertThat(run("call", "--plaintext", "127.0.0.1:1", "list")).isEqualTo(78);
    assertThat(err.toString()).contains("cause: connection refused by 127.0.0.1:1");
    assertThat(run("call", "127.0.0.1:1", "list")).isEqualTo(78);
    assertThat(err.toString().split("connection refused by 127.0.0.1:1", -1)).hasSize(3);
  }

  @Test
  void portThatAcceptsButNeverAnswers_timesOutWithConnectTimeout() throws Exception {
    // The kernel completes the handshake from the backlog; nothing ever reads or writes.
    try (java.net.ServerSocket silent =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String addr = "127.0.0.1:" + silent.getLocalPort();
      assertThat(run("call", "--connect-timeout", "300ms", addr, "list")).isEqualTo(78);
    }
    assertThat(err.toString()).contains("answered nothing to a TLS hello within 300ms");
  }

  @Test
  void unknownMethod_isFerrysError_exit1() {
    assertThat(run("call", greeter.authority(), "helloworld.Greeter/SayBye")).isEqualTo(1);
    assertThat(err.toString()).contains("has no method SayBye");
  }

  @Test
  void usageErrors_exit2_withOneSentence() {
    assertThat(run("call", "nocolon", "list")).isEqualTo(2);
    assertThat(err.toString()).contains("is not host:port");
    assertThat(run("call", "--plaintext", "--insecure", greeter.authority())).isEqualTo(2);
    assertThat(err.toString()).contains("--plaintext cannot be combined");
    assertThat(run("call", greeter.authority(), "list", "-H", "broken")).isEqualTo(2);
  }

  @Test
  void badJson_isNamed_exit1() {
    assertThat(run("call", greeter.authority(), "helloworld.Greeter/SayHello", "-d", "{\"nom\":1}"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("request message 1 is not a helloworld.HelloRequest");
  }

  @Test
  void expectations_setTheExitCode() {
    String addr = greeter.authority();
    String method = "helloworld.Greeter/SayHello";
    assertThat(
            run(
                "call",
                addr,
                method,
                "-d",
                "{\"name\":\"e\"}",
                "--expect",
                "{\"message\":\"Hello, e!\"}"))
        .isZero();
    assertThat(
            run("call", addr, method, "-d", "{\"name\":\"e\"}", "--expect", "{\"message\":\"no\"}"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("expectation failed: no response contains");
    assertThat(run("call", addr, method, "-H", "x-fail-status: 5", "--expect-status", "NOT_FOUND"))
        .isZero();
    assertThat(run("call", addr, method, "-H", "x-fail-status: 5", "--expect-status", "0"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("expected status OK (0), got NOT_FOUND (5)");
  }

  @Test
  void verbose_showsHeadersTimesTrailersAndStatus() {
    assertThat(
            run(
                "call",
                "-v",
                greeter.authority(),
                "helloworld.Greeter/SayHello",
                "-H",
                "x-trace: on",
                "-d",
                "{\"name\":\"v\"}"))
        .isZero();
    assertThat(err.toString())
        .contains("plaintext (h2c), detected")
        .contains("> POST /helloworld.Greeter/SayHello")
        .contains("> x-trace: on")
        .contains("< response headers at +")
        .contains("< content-type: application/grpc")
        .contains("< response message 1 at +")
        .contains("< status 0 OK");
  }

  @Test
  void verbose_showsTheRequestHeadersAsWrittenOnTheWire() {
    assertThat(
            run(
                "call",
                "-v",
                "--deadline",
                "20s",
                greeter.authority(),
                "helloworld.Greeter/SayHello",
                "-H",
                "x-trace: on",
                "-d",
                "{\"name\":\"v\"}"))
        .isZero();
    String shown = err.toString();
    // Written by grpc-java's transport itself, caught from its HTTP/2 frame logger.
    assertThat(shown)
        .containsPattern(
            "> POST /helloworld.Greeter/SayHello \\(\\S+\\), stream \\d+, headers sent at \\+")
        .contains("> :method: POST\n")
        .contains("> :scheme: http\n")
        .contains("> :path: /helloworld.Greeter/SayHello\n")
        .contains("> :authority: " + greeter.authority() + "\n")
        .contains("> content-type: application/grpc\n")
        .contains("> te: trailers\n")
        .contains("> user-agent: grpc-java-netty/")
        .contains("> grpc-accept-encoding: gzip")
        .containsPattern("> grpc-timeout: \\d+[HMSmun]\n")
        .contains("> x-trace: on\n");
    // In the order of the wire: pseudo-headers first, then the call, then the first message.
    assertThat(shown.indexOf("> :method")).isLessThan(shown.indexOf("> x-trace"));
    assertThat(shown.indexOf("> x-trace")).isLessThan(shown.indexOf("> request message 1"));
    assertThat(shown.indexOf("> request message 1")).isLessThan(shown.indexOf("< response"));
  }

  @Test
  void withoutVerbose_noRequestHeadersArePrinted() {
    assertThat(run("call", greeter.authority(), "helloworld.Greeter/SayHello")).isZero();
    assertThat(err.toString()).doesNotContain("> ");
  }
}
