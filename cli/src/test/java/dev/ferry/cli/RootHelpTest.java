package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The root usage that {@code ferry --help} prints from the jar is the one picocli renders from the
 * code, in colour and without: a change to a command's description makes this fail until the
 * resources are written again.
 */
class RootHelpTest {
  private static final Path DIR = Path.of("src/main/resources/dev/ferry/cli");
  private static final boolean UPDATE = Boolean.getBoolean("ferry.updateRootHelp");

  @ParameterizedTest(name = "ansi={0}")
  @ValueSource(booleans = {false, true})
  void theRenderedUsage_isWhatPicocliRendersNow(boolean ansi) throws IOException {
    Path file = DIR.resolve(RootHelp.resource(ansi));
    String rendered = RootHelp.render(ansi);
    if (UPDATE) {
      Files.writeString(file, rendered, StandardCharsets.UTF_8);
    }
    assertThat(file).exists();
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .as(
            "%s is stale: regenerate with mvn -pl cli -am test -Dtest=RootHelpTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dferry.updateRootHelp=true",
            file)
        .isEqualTo(rendered);
  }

  @Test
  void onlyTheRootsHelpAlone_isAnsweredFromTheText() {
    assertThat(RootHelp.asked(new String[] {"--help"})).isTrue();
    assertThat(RootHelp.asked(new String[] {"-h"})).isTrue();
    assertThat(RootHelp.asked(new String[] {"call", "--help"})).isFalse();
    assertThat(RootHelp.asked(new String[] {"--help", "call"})).isFalse();
    assertThat(RootHelp.asked(new String[] {})).isFalse();
  }
}
