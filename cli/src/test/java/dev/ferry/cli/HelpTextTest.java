package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class HelpTextTest {
  private static final List<String> COMMANDS =
      List.of("serve", "greeter", "daininki", "call", "trace", "demo");

  private static String help(String... args) {
    StringWriter out = new StringWriter();
    Main.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
        .execute(args);
    return out.toString();
  }

  @Test
  void topLevelHelp_summarizesCallInAWholeSentence() {
    String help = help("--help");

    assertThat(help).doesNotContain("by server\n");
    assertThat(help)
        .containsPattern(
            "call +A gRPC client that needs no generated code, with\\s+" + "grpcurl's grammar\\.");
  }

  @Test
  void callHelp_showsTheEnvironmentPlaceholderOfExpandHeaders() {
    assertThat(help("call", "--help"))
        .contains("Replace ${NAME} in -H values")
        .doesNotContain("null");
  }

  @Test
  void everyExample_keepsItsQuotedArgumentsOnOneLine() {
    for (String command : COMMANDS) {
      String help = help(command, "--help");
      String examples = help.substring(Math.max(0, help.indexOf("Examples:")));
      for (String line : examples.split("\n")) {
        if (line.startsWith("  ferry ") || line.startsWith("      ")) {
          assertThat(line.chars().filter(c -> c == '\'').count() % 2)
              .as(command + ": " + line)
              .isZero();
        }
      }
    }
  }

  @Test
  void noHelp_breaksALineInsideAnAddress() {
    for (String command : COMMANDS) {
      assertThat(help(command, "--help")).as(command).doesNotContainPattern("\\d\\.\\s*\\n\\s*\\d");
    }
  }

  @Test
  void backendHelp_suggestsFerryCallNotGrpcurl() {
    for (String command : List.of("greeter", "daininki")) {
      String help = help(command, "--help");
      assertThat(help).as(command).doesNotContain("grpcurl -plaintext").contains("ferry call");
    }
  }
}
