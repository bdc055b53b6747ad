package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps completions/ferry.bash and completions/ferry.zsh equal to what the command model generates.
 * Run with {@code -Dferry.updateCompletions=true} to rewrite them after changing a command.
 */
class CompletionScriptsTest {
  private static final Path DIR = Path.of("..", "completions");
  private static final boolean UPDATE = Boolean.getBoolean("ferry.updateCompletions");

  @Test
  void bashScript_matchesCommandModel() throws IOException {
    check(DIR.resolve("ferry.bash"), CompletionScripts.bash());
  }

  @Test
  void zshScript_matchesCommandModel() throws IOException {
    check(DIR.resolve("ferry.zsh"), CompletionScripts.zsh());
  }

  @Test
  void bashScript_completesEverySubcommand() {
    assertThat(CompletionScripts.bash())
        .contains("serve", "greeter", "daininki", "call", "trace", "demo");
  }

  private static void check(Path file, String generated) throws IOException {
    if (UPDATE) {
      Files.writeString(file, generated, StandardCharsets.UTF_8);
    }
    assertThat(file).exists();
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .as(
            "%s is stale: regenerate with"
                + " mvn -pl cli -am test -Dtest=CompletionScriptsTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dferry.updateCompletions=true",
            file)
        .isEqualTo(generated);
  }
}
