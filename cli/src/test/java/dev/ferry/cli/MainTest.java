package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  @Test
  void help_listsEverySubcommand() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("serve", "greeter", "daininki", "call", "trace", "demo");
  }

  @Test
  void version_printsFerryVersion() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("ferry ");
  }

  @Test
  void unknownOption_isUsageErrorWithExitCode2() {
    assertThat(run("--bogus")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "ferry: Unknown option: '--bogus' (see 'ferry --help')" + System.lineSeparator());
  }

  @Test
  void argumentsNamingASubcommand_buildOnlyThatSubcommand() {
    String[] args = {"call", "--help"};
    CommandLine ferry =
        Main.commandLineFor(
            args,
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(ferry.getSubcommands()).containsOnlyKeys("call");
    assertThat(ferry.execute(args)).isZero();
    assertThat(out.toString()).contains("Usage: ferry call");
  }

  @Test
  void argumentsNamingNoSubcommand_buildTheWholeTree() {
    for (String[] args : new String[][] {{}, {"--help"}, {"gretter"}}) {
      CommandLine ferry =
          Main.commandLineFor(
              args,
              new ByteArrayInputStream(new byte[0]),
              new PrintWriter(out, true),
              new PrintWriter(err, true));
      assertThat(ferry.getSubcommands())
          .as(String.join(" ", args))
          .containsOnlyKeys(
              "serve",
              "greeter",
              "daininki",
              "call",
              "trace",
              "demo",
              "import",
              "generate-completion");
    }
  }

  @Test
  void rootUsageAndVersion_printAsTheWholeTreeWould() {
    for (String[] args : new String[][] {{}, {"--help"}, {"-h"}, {"--version"}, {"-V"}}) {
      StringWriter summary = new StringWriter();
      StringWriter whole = new StringWriter();
      int summaryCode =
          Main.commandLineFor(
                  args,
                  new ByteArrayInputStream(new byte[0]),
                  new PrintWriter(summary, true),
                  new PrintWriter(summary, true))
              .execute(args);
      int wholeCode =
          Main.commandLine(new PrintWriter(whole, true), new PrintWriter(whole, true))
              .execute(args);
      assertThat(summaryCode).as(String.join(" ", args)).isEqualTo(wholeCode);
      assertThat(summary.toString()).as(String.join(" ", args)).isEqualTo(whole.toString());
    }
  }

  /**
   * The usage and the version are ferry's quickest commands: a library's classes loaded on their
   * way (a logger factory, an event loop stopped at exit) cost every {@code ferry --help} its
   * start.
   */
  @Test
  void rootUsageAndVersion_loadNoGrpcNettyOrProtobufClass() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (String arg : new String[] {"--help", "--version"}) {
      Process ferry =
          new ProcessBuilder(
                  java,
                  "-Xlog:class+load=info:stdout",
                  "-cp",
                  System.getProperty("java.class.path"),
                  Main.class.getName(),
                  arg)
              .redirectErrorStream(true)
              .start();
      List<String> lines =
          new String(ferry.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .toList();
      List<String> loaded = lines.stream().filter(line -> line.contains("[class,load]")).toList();
      assertThat(ferry.waitFor()).as(arg).isZero();
      if (arg.equals("--help")) {
        // Printed from the text rendered at build time (RootHelp), in a process of its own.
        assertThat(lines).contains("Usage: ferry [-hV] [--log-level=LEVEL] [COMMAND]");
      }
      assertThat(loaded).as(arg).anyMatch(line -> line.contains(" picocli.CommandLine "));
      assertThat(loaded)
          .as(arg)
          .noneMatch(
              line ->
                  line.contains(" io.grpc.")
                      || line.contains(" io.netty.")
                      || line.contains(" com.google.protobuf."));
    }
  }

  @Test
  void everySubcommand_hasHelpWithExamples() {
    for (String sub : new String[] {"serve", "greeter", "daininki", "call", "trace", "demo"}) {
      StringWriter subOut = new StringWriter();
      int code =
          Main.commandLine(new PrintWriter(subOut, true), new PrintWriter(err, true))
              .execute(sub, "--help");
      assertThat(code).as(sub).isZero();
      assertThat(subOut.toString()).as(sub).contains("Usage: ferry " + sub);
    }
  }
}
