package dev.ferry.cli.call.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void countedLoad_fillsByCallsMade() {
    assertThat(ProgressBar.line(500, 1000L, Duration.ofSeconds(2), null))
        .isEqualTo("[###############               ]  50%  500/1000 calls  250/s  2.0s");
  }

  @Test
  void timedLoad_fillsByTimeSpent() {
    assertThat(ProgressBar.line(300, null, Duration.ofSeconds(3), Duration.ofSeconds(12)))
        .isEqualTo("[########                      ]  25%  300 calls  100/s  3.0s");
  }

  @Test
  void neverDrawsPastFull() {
    assertThat(ProgressBar.line(10, 5L, Duration.ofMillis(10), null))
        .startsWith("[" + "#".repeat(30) + "] 100%");
  }
}
