package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class StartupTrainingTest {
  @Test
  void everyTrainingCommand_endsAsExpected() {
    // `mvn package` runs the training to make the start-up archive: a command that no longer
    // works fails it there; here it fails first, with the command's output.
    assertThatCode(() -> StartupTraining.main(new String[0])).doesNotThrowAnyException();
  }
}
