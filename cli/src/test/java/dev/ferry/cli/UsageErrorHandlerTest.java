package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.exit.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class UsageErrorHandlerTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void misspelledSubcommand_isOneLineWithTheSuggestion() {
    int exit = Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute("gretter");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("ferry: ").contains("'gretter'", "'greeter'");
  }

  @Test
  void badOptionValue_isOneLinePointingToHelp() {
    int exit =
        Main.commandLine(new PrintWriter(out), new PrintWriter(err))
            .execute("greeter", "--port", "banana");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString())
        .startsWith("ferry greeter: ")
        .contains("'banana'", "see 'ferry greeter --help'");
  }
}
