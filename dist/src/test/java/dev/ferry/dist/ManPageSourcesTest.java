package dev.ferry.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The man page sources: one per command, with the footers and whole sentences of --help. */
class ManPageSourcesTest {
  @TempDir Path dir;

  @Test
  void writesAPagePerCommand() throws Exception {
    ManPageSources.main(new String[] {dir.toString()});

    assertThat(dir.resolve("ferry.adoc")).exists();
    assertThat(dir.resolve("ferry-call.adoc")).exists();
    assertThat(dir.resolve("ferry-serve.adoc")).exists();
  }

  @Test
  void footerOpeningWithExamples_becomesTheExamplesSection() throws Exception {
    ManPageSources.main(new String[] {dir.toString()});

    assertThat(Files.readString(dir.resolve("ferry.adoc")))
        .contains("== Examples")
        .contains("ferry call 127.0.0.1:8080 list")
        .doesNotContain("Examples:");
  }

  @Test
  void descriptionWrappedForHelp_isOneParagraph() throws Exception {
    ManPageSources.main(new String[] {dir.toString()});

    assertThat(Files.readString(dir.resolve("ferry.adoc")))
        .contains("Default: ferry's own from info up")
        .doesNotContain("\n+\n");
  }
}
