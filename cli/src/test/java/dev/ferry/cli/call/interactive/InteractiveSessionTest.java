package dev.ferry.cli.call.interactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.call.diagnosis.FailureReporter;
import dev.ferry.cli.call.schema.SchemaFiles;
import dev.ferry.cli.call.schema.SchemaOptions;
import dev.ferry.cli.call.schema.SchemaSource;
import dev.ferry.cli.call.transport.ChannelFactory;
import dev.ferry.cli.call.transport.Target;
import dev.ferry.testservers.ExampleServer;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jline.reader.Candidate;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive mode driven by scripted input through a dumb terminal, against a greeter. */
@org.junit.jupiter.api.Timeout(60)
class InteractiveSessionTest {
  private static ExampleServer greeter;
  private static ManagedChannel channel;
  private static SchemaSource schema;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    greeter = ExampleServer.builder(ExampleServer.Kind.GREETER).start();
    channel =
        Grpc.newChannelBuilder(greeter.authority(), InsecureChannelCredentials.create()).build();
    SchemaOptions files = new SchemaOptions();
    files.protos = List.of("helloworld.proto");
    files.importPaths = List.of(Path.of("../testservers/src/main/proto"));
    schema = SchemaFiles.load(files);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    greeter.close();
  }

  /** Runs a session on {@code input} (lines typed), returns what the terminal showed. */
  private String session(String input) throws Exception {
    return session(input, Duration.ofSeconds(10));
  }

  private String session(String input, Duration deadline) throws Exception {
    ByteArrayOutputStream shown = new ByteArrayOutputStream();
    try (Terminal terminal =
        new DumbTerminal(
            "test",
            Terminal.TYPE_DUMB,
            new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
            shown,
            StandardCharsets.UTF_8)) {
      int exit =
          new InteractiveSession(
                  terminal,
                  dir.resolve("history"),
                  schema,
                  channel,
                  () ->
                      CallOptions.DEFAULT.withDeadlineAfter(
                          deadline.toNanos(), TimeUnit.NANOSECONDS),
                  List.of(),
                  new FailureReporter(
                      Target.parse(greeter.authority()),
                      new ChannelFactory.Security(false, false),
                      null,
                      deadline,
                      null))
              .run();
      assertThat(exit).isZero();
    }
    return shown.toString(StandardCharsets.UTF_8);
  }

  @Test
  void defaultHistory_isUnderHomeOfTheEnvironment() {
    assertThat(InteractiveSession.defaultHistory(java.util.Map.of("HOME", "/home/elsewhere")))
        .isEqualTo(Path.of("/home/elsewhere", ".ferry_history"));
    assertThat(
            InteractiveSession.defaultHistory(
                java.util.Map.of("HOME", "/home/elsewhere", "XDG_STATE_HOME", "/state")))
        .isEqualTo(Path.of("/state", "ferry", "history"));
  }

  @Test
  void inlineJsonCall_printsTheReply() throws Exception {
    String shown = session("call helloworld.Greeter/SayHello {\"name\":\"ferry\"}\nexit\n");
    assertThat(shown).contains("\"message\": \"Hello, ferry!\"");
  }

  @Test
  void callWithoutJson_asksFieldByField() throws Exception {
    String shown = session("call helloworld.Greeter/SayHello\nbob\n");
    assertThat(shown).contains("name (string)> ").contains("\"message\": \"Hello, bob!\"");
  }

  @Test
  void header_appliesToFollowingCallsUntilCleared() throws Exception {
    String shown =
        session(
            "header x-fail-status: 5\n"
                + "call helloworld.Greeter/SayHello {}\n"
                + "header clear\n"
                + "call helloworld.Greeter/SayHello {\"name\":\"again\"}\n");
    assertThat(shown).contains("ERROR: NOT_FOUND (5)").contains("Hello, again!");
    assertThat(shown.indexOf("NOT_FOUND")).isLessThan(shown.indexOf("Hello, again!"));
  }

  @Test
  void failedCall_showsTheFullReport_asAOneShotCallDoes() throws Exception {
    String shown =
        session("header x-fail-status: 14\ncall helloworld.Greeter/SayHello {\"name\":\"f\"}\n");
    assertThat(shown)
        .contains("ERROR: UNAVAILABLE (14): injected\n")
        .contains(
            "  UNAVAILABLE usually means: the service could not be reached or is not serving now");
  }

  @Test
  void deadlineAtThePrompt_namesTheCauseAndWhoResetTheStream() throws Exception {
    String shown =
        session(
            "header x-delay-ms: 5000\ncall helloworld.Greeter/SayHello {\"name\":\"slow\"}\n",
            Duration.ofMillis(300));
    assertThat(shown)
        .contains("ERROR: DEADLINE_EXCEEDED (4)")
        .contains("  cause: the deadline of 300ms passed; no response headers had arrived")
        .contains("ferry call then reset the stream itself (RST_STREAM CANCEL sent to ")
        .contains("  DEADLINE_EXCEEDED usually means: ");
  }

  @Test
  void listDescribeHelpAndUnknownCommands() throws Exception {
    String shown =
        session(
            "help\nlist\nlist helloworld.Greeter\ndescribe helloworld.HelloRequest\nfrobnicate\n");
    assertThat(shown)
        .contains("call SERVICE/METHOD [JSON]")
        .contains("helloworld.Greeter\n")
        .contains("helloworld.Greeter.SayHelloBidiStream")
        .contains("message HelloRequest {")
        .contains("unknown command 'frobnicate' (try: help)");
  }

  @Test
  void badInput_isReportedAndTheSessionGoesOn() throws Exception {
    String shown =
        session(
            "call helloworld.Greeter/Nope {}\n"
                + "call helloworld.Greeter/SayHello {\"nam\":1}\n"
                + "call helloworld.Greeter/SayHello {\"name\":\"still here\"}\n");
    assertThat(shown)
        .contains("error: service helloworld.Greeter has no method Nope")
        .contains("error: request message 1 is not a helloworld.HelloRequest")
        .contains("Hello, still here!");
  }

  @Test
  void history_isKeptAcrossRuns() throws Exception {
    session("list\nhelp\n");
    assertThat(Files.readString(dir.resolve("history"))).contains("list").contains("help");
  }

  @Test
  void completion_offersCommandsMethodsAndFieldNames() {
    assertThat(complete("ca")).contains("call");
    assertThat(complete("call hello"))
        .contains("helloworld.Greeter/SayHello", "helloworld.Greeter/SayHelloBidiStream");
    assertThat(complete("list ")).contains("helloworld.Greeter");
    assertThat(complete("call helloworld.Greeter/SayHello {\"na")).contains("{\"name\":");
  }

  private List<String> complete(String line) {
    DefaultParser parser = new DefaultParser();
    parser.setQuoteChars(new char[0]);
    parser.setEscapeChars(new char[0]);
    List<Candidate> candidates = new ArrayList<>();
    new InteractiveCompleter(schema)
        .complete(
            null, parser.parse(line, line.length(), Parser.ParseContext.COMPLETE), candidates);
    return candidates.stream().map(Candidate::value).toList();
  }
}
