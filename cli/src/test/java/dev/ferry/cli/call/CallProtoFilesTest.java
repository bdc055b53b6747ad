package dev.ferry.cli.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.Main;
import dev.ferry.testservers.ExampleServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry call --proto}: the schema from .proto source, with no protoc and no reflection. */
@org.junit.jupiter.api.Timeout(60)
class CallProtoFilesTest {
  private static final String EXAMPLES = "../testservers/src/main/proto";

  /** Nothing listens here: list and describe with --proto must not try. */
  private static final String NOWHERE = "127.0.0.1:1";

  private static ExampleServer greeter;
  private final WatchedWriter out = new WatchedWriter();
  private final WatchedWriter err = new WatchedWriter();
  @TempDir Path dir;

  @BeforeAll
  static void startGreeter() throws Exception {
    greeter = ExampleServer.builder(ExampleServer.Kind.GREETER).start();
  }

  @AfterAll
  static void stopGreeter() {
    greeter.close();
  }

  private int run(String... args) {
    return Main.commandLine(
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out, true),
            new PrintWriter(err, true))
        .execute(args);
  }

  @Test
  void unaryCall_withSchemaFromProtoSource() {
    int exit =
        run(
            "call",
            "--proto",
            "helloworld.proto",
            "--import-path",
            EXAMPLES,
            greeter.authority(),
            "helloworld.Greeter/SayHello",
            "-d",
            "{\"name\":\"x\"}");
    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("{\n  \"message\": \"Hello, x!\"\n}\n");
  }

  @Test
  void verbose_saysTheSchemaCameFromProto() {
    run(
        "call",
        "-v",
        "--proto",
        EXAMPLES + "/helloworld.proto",
        "--import-path",
        EXAMPLES,
        greeter.authority(),
        "helloworld.Greeter/SayHello",
        "-d",
        "{}");
    assertThat(err.toString()).contains("* schema: --proto");
  }

  @Test
  void list_worksWithoutConnecting() {
    assertThat(
            run("call", "--proto", "helloworld.proto", "--import-path", EXAMPLES, NOWHERE, "list"))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).isEqualTo("helloworld.Greeter\n");
  }

  @Test
  void describe_worksWithoutConnecting() {
    assertThat(
            run(
                "call",
                "--proto",
                "daininki.proto",
                "--import-path",
                EXAMPLES,
                NOWHERE,
                "describe",
                "helloworld.VoteTally"))
        .isZero();
    assertThat(out.toString())
        .contains("message VoteTally {")
        .contains("map<string, int64> votes = 1;");
  }

  @Test
  void withoutImportPath_aFileIsFoundWhereTyped_andWellKnownTypesAreBuiltIn() throws Exception {
    Path proto = dir.resolve("clock.proto");
    Files.writeString(
        proto,
        """
        syntax = "proto3";
        import "google/protobuf/timestamp.proto";
        service Clock { rpc Now (Tick) returns (google.protobuf.Timestamp); }
        message Tick { optional int32 n = 1; }
        """);
    // Relative to the current directory (the module), as a user would type it.
    String relative = Path.of("").toAbsolutePath().relativize(proto).toString();
    assertThat(run("call", "--proto", relative, NOWHERE, "describe", "Clock"))
        .as(err.toString())
        .isZero();
    assertThat(out.toString())
        .startsWith("Clock is a service (in clock.proto)")
        .contains("rpc Now (Tick) returns (google.protobuf.Timestamp);");
  }

  @Test
  void brokenProto_failsWithFileLineAndColumn() throws Exception {
    Files.writeString(dir.resolve("bad.proto"), "syntax = \"proto3\";\nmessage M { int32 = 1; }\n");
    int exit =
        run("call", "--proto", "bad.proto", "--import-path", dir.toString(), NOWHERE, "list");
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString())
        .contains("--proto: bad.proto:2:19: expected a field name but found '='");
  }

  @Test
  void protoWithProtoset_isAUsageError() {
    assertThat(run("call", "--proto", "a.proto", "--protoset", "b.pb", NOWHERE, "list"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--proto or by --protoset, not both");
  }
}
