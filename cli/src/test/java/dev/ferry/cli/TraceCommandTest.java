package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import dev.ferry.cli.exit.ExitCodes;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import dev.ferry.testservers.helloworld.HelloWorldProto;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ferry trace` through Main.commandLine, in front of a real grpc-java greeter. */
class TraceCommandTest {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path dir;
  private ExampleServer greeter;
  private final StringWriter out = new StringWriter();
  private final StringWriter errText = new StringWriter();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();

  @BeforeEach
  void startGreeter() throws Exception {
    greeter = ExampleServer.builder(ExampleServer.Kind.GREETER).port(0).start();
  }

  @AfterEach
  void stopGreeter() {
    greeter.close();
  }

  private String upstream() {
    return greeter.authority();
  }

  /** A stderr that tells the test the tap's port as soon as the command prints it. */
  private PrintWriter err() {
    return new PrintWriter(
        new Writer() {
          @Override
          public void write(char[] b, int off, int len) {
            errText.write(b, off, len);
            Matcher m = LISTENING.matcher(errText.toString());
            if (m.find()) {
              port.complete(Integer.parseInt(m.group(1)));
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        },
        true);
  }

  private CompletableFuture<Integer> runTrace(String... args) {
    List<String> all = new ArrayList<>(List.of("trace", "--listen", "127.0.0.1:0"));
    all.addAll(List.of(args));
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              picocli.CommandLine ferry = Main.commandLine(new PrintWriter(out), err());
              // Tests must not take over the JVM's signals; --calls stops the command.
              ((TraceCommand) ferry.getSubcommands().get("trace").getCommand()).stopSignal =
                  StopSignal.manual();
              int code = ferry.execute(all.toArray(String[]::new));
              port.completeExceptionally(new AssertionError("exited " + code + ": " + errText));
              exit.complete(code);
            });
    t.start();
    return exit;
  }

  private HelloReply callThroughTap(String name, String header) throws Exception {
    return callThroughTap(name, header, null);
  }

  /** Calls SayHello through the tap; null when the call failed. */
  private HelloReply callThroughTap(String name, String header, String failStatus)
      throws Exception {
    ManagedChannel ch =
        NettyChannelBuilder.forAddress("127.0.0.1", port.get(10, TimeUnit.SECONDS))
            .usePlaintext()
            .build();
    try {
      io.grpc.Metadata md = new io.grpc.Metadata();
      md.put(io.grpc.Metadata.Key.of("x-user", io.grpc.Metadata.ASCII_STRING_MARSHALLER), header);
      if (failStatus != null) {
        md.put(
            io.grpc.Metadata.Key.of("x-fail-status", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
            failStatus);
        md.put(
            io.grpc.Metadata.Key.of("x-fail-message", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
            "name is empty");
      }
      return GreeterGrpc.newBlockingStub(ch)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
          .sayHello(HelloRequest.newBuilder().setName(name).build());
    } catch (io.grpc.StatusRuntimeException e) {
      return null;
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private Path protoset() throws Exception {
    Path file = dir.resolve("greeter.protoset");
    try (OutputStream o = Files.newOutputStream(file)) {
      FileDescriptorSet.newBuilder()
          .addFile(HelloWorldProto.getDescriptor().toProto())
          .build()
          .writeTo(o);
    }
    return file;
  }

  @Test
  void withProtoSource_messagesShowAsJson_withoutReflection() throws Exception {
    CompletableFuture<Integer> exit =
        runTrace(
            "--to",
            upstream(),
            "--proto",
            "helloworld.proto",
            "--import-path",
            "../testservers/src/main/proto",
            "--no-reflection",
            "--calls",
            "1");

    assertThat(callThroughTap("world", "ann").getMessage()).isEqualTo("Hello, world!");

    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(0);
    assertThat(out.toString())
        .contains("json: {\"name\":\"world\"}")
        .contains("json: {\"message\":\"Hello, world!\"}");
  }

  @Test
  void withProtoset_messagesShowAsJson_andTheTableEndsTheTrace() throws Exception {
    CompletableFuture<Integer> exit =
        runTrace("--to", upstream(), "--protoset", protoset().toString(), "--calls", "2");

    assertThat(callThroughTap("world", "ann").getMessage()).isEqualTo("Hello, world!");
    assertThat(callThroughTap("", "ann", "3")).isNull();

    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(0);
    String trace = out.toString();
    assertThat(trace)
        .contains("json: {\"name\":\"world\"}")
        .contains("json: {\"message\":\"Hello, world!\"}")
        .contains("/helloworld.Greeter/SayHello OK in ")
        .contains("/helloworld.Greeter/SayHello INVALID_ARGUMENT \"name is empty\" in ")
        .contains("grpc-status: 3  ⇒ INVALID_ARGUMENT")
        .doesNotContain("\u001b[");
    assertThat(trace.lines().filter(l -> l.startsWith("INVALID_ARGUMENT ") || l.startsWith("OK ")))
        .containsExactly(
            "OK                                             1",
            "INVALID_ARGUMENT                               1");
  }

  @Test
  void asCommands_printsTheFerryCallThatRepeatsEachCall() throws Exception {
    CompletableFuture<Integer> exit =
        runTrace(
            "--to",
            upstream(),
            "--protoset",
            protoset().toString(),
            "--calls",
            "1",
            "--as-commands");

    callThroughTap("it's me", "o'brien");

    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(0);
    assertThat(out.toString().lines())
        .containsExactly(
            "ferry call "
                + upstream()
                + " helloworld.Greeter/SayHello -d '{\"name\":\"it\\u0027s me\"}'"
                + " -H 'x-user: o'\\''brien'");
  }

  @Test
  void json_printsOneObjectPerLine_andFiltersApply() throws Exception {
    CompletableFuture<Integer> exit =
        runTrace(
            "--to", upstream(), "--no-reflection", "--json", "--frames", "headers", "--calls", "1");

    callThroughTap("world", "ann");

    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(0);
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).allMatch(l -> l.startsWith("{\"t_ms\":") && l.endsWith("}"));
    assertThat(lines).noneMatch(l -> l.contains("\"type\":\"DATA\""));
    assertThat(lines).anyMatch(l -> l.contains("\"type\":\"HEADERS\""));
    assertThat(lines)
        .anyMatch(
            l ->
                l.contains("\"kind\":\"message\"") && l.contains("\"raw\":[\"1: \\\"world\\\"\"]"));
    assertThat(lines)
        .anyMatch(l -> l.contains("\"kind\":\"call\"") && l.contains("\"status\":\"OK\""));
  }

  @Test
  void summaryOnly_toAFile_printsOneLinePerCall() throws Exception {
    Path file = dir.resolve("trace.txt");
    CompletableFuture<Integer> exit =
        runTrace("--to", upstream(), "--summary-only", "--output", file.toString(), "--calls", "1");

    callThroughTap("world", "ann");

    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(0);
    assertThat(Files.readAllLines(file))
        .singleElement()
        .asString()
        .contains("CALL          /helloworld.Greeter/SayHello OK in ");
    assertThat(errText.toString()).contains("OK                                             1");
  }

  @Test
  void unixSocketUpstream_isRelayedAndDecodedByReflection() throws Exception {
    Path socket = dir.resolve("greeter.sock");
    try (ExampleServer upstream =
        ExampleServer.builder(ExampleServer.Kind.GREETER).unixSocket(socket).start()) {
      CompletableFuture<Integer> exit = runTrace("--to", "unix:" + socket, "--calls", "1");

      assertThat(callThroughTap("sock", "ann").getMessage()).isEqualTo("Hello, sock!");

      assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(0);
    }
    assertThat(errText.toString()).contains("relaying to unix:" + socket);
    assertThat(out.toString())
        .contains("json: {\"name\":\"sock\"}")
        .contains("json: {\"message\":\"Hello, sock!\"}");
  }

  @Test
  void unixSocketUpstreamThatIsMissing_isAOneLineError() {
    Path missing = dir.resolve("absent.sock");
    int code =
        Main.commandLine(new PrintWriter(out), new PrintWriter(errText))
            .execute("trace", "--to", "unix:" + missing);

    assertThat(code).isEqualTo(ExitCodes.FAILURE);
    assertThat(errText.toString()).contains("no such socket: " + missing).doesNotContain("\tat ");
  }

  @Test
  void unknownFrameType_isAOneLineUsageError() {
    int code =
        Main.commandLine(new PrintWriter(out), new PrintWriter(errText))
            .execute("trace", "--to", "127.0.0.1:1", "--frames", "headers,dta");

    assertThat(code).isEqualTo(ExitCodes.FAILURE);
    assertThat(errText.toString().trim())
        .isEqualTo(
            "ferry trace: --frames: no frame type 'dta' (expected some of [data, goaway, headers,"
                + " ping, priority, push_promise, rst_stream, settings, window_update])");
  }

  @Test
  void tlsCertWithoutKey_isAOneLineError() {
    int code =
        Main.commandLine(new PrintWriter(out), new PrintWriter(errText))
            .execute("trace", "--to", "127.0.0.1:1", "--tls-cert", "x.pem");

    assertThat(code).isEqualTo(ExitCodes.FAILURE);
    assertThat(errText.toString().trim())
        .isEqualTo("ferry trace: --tls-cert and --tls-key go together");
  }

  @Test
  void tlsUpstream_trustedByToCa_isTraced() throws Exception {
    // The proxy module's test certificate, for localhost and 127.0.0.1.
    Path cert = Path.of("..", "proxy", "src", "test", "resources", "trace-tls", "localhost.pem");
    Path key = Path.of("..", "proxy", "src", "test", "resources", "trace-tls", "localhost.key");
    greeter.close();
    greeter = ExampleServer.builder(ExampleServer.Kind.GREETER).port(0).tls(cert, key).start();
    CompletableFuture<Integer> exit =
        runTrace(
            "--to",
            "localhost:" + greeter.address().getPort(),
            "--to-ca",
            cert.toString(),
            "--calls",
            "1");

    assertThat(callThroughTap("world", "ann").getMessage()).isEqualTo("Hello, world!");

    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(0);
    assertThat(out.toString())
        .contains("/helloworld.Greeter/SayHello OK in ")
        // The reflection ask went over TLS too, trusting the same --to-ca.
        .contains("json: {\"message\":\"Hello, world!\"}");
    assertThat(errText.toString()).contains("(TLS)").contains("asked by reflection");
  }

  @Test
  void withoutProtoset_theUpstreamsReflectionDecodesMessagesToJson() throws Exception {
    CompletableFuture<Integer> exit = runTrace("--to", upstream(), "--calls", "1");

    assertThat(callThroughTap("world", "ann").getMessage()).isEqualTo("Hello, world!");

    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(0);
    assertThat(out.toString())
        .contains("json: {\"name\":\"world\"}")
        .contains("json: {\"message\":\"Hello, world!\"}");
    assertThat(errText.toString())
        .contains("ferry trace: schema of 4 services asked by reflection (v1) from " + upstream());
  }

  @Test
  void noReflection_asksNothing_andShowsRawFields() throws Exception {
    CompletableFuture<Integer> exit =
        runTrace("--to", upstream(), "--no-reflection", "--calls", "1");

    callThroughTap("world", "ann");

    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(0);
    assertThat(out.toString()).contains("1: \"world\"").doesNotContain("json: ");
    assertThat(errText.toString()).doesNotContain("reflection");
  }

  @Test
  void upstreamWithoutReflection_saysSoInOneLine_andShowsRawFields() throws Exception {
    greeter.close();
    io.grpc.Server bare =
        io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(
                new java.net.InetSocketAddress("127.0.0.1", 0))
            .addService(
                new GreeterGrpc.GreeterImplBase() {
                  @Override
                  public void sayHello(
                      HelloRequest request, io.grpc.stub.StreamObserver<HelloReply> replies) {
                    replies.onNext(HelloReply.newBuilder().setMessage("hi").build());
                    replies.onCompleted();
                  }
                })
            .build()
            .start();
    try {
      String address = "127.0.0.1:" + bare.getPort();
      CompletableFuture<Integer> exit = runTrace("--to", address, "--calls", "1");

      assertThat(callThroughTap("world", "ann").getMessage()).isEqualTo("hi");

      assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(0);
      assertThat(errText.toString().lines().filter(l -> l.contains("reflection")))
          .containsExactly(
              "ferry trace: no schema by reflection from "
                  + address
                  + ": the server offers no reflection (neither grpc.reflection.v1 nor v1alpha):"
                  + " give the schema with --protoset; messages show as raw fields");
      assertThat(out.toString()).contains("1: \"world\"").doesNotContain("json: ");
    } finally {
      bare.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      greeter = ExampleServer.builder(ExampleServer.Kind.GREETER).port(0).start();
    }
  }
}
