package dev.ferry.cli.option;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationOptionTest {
  private final DurationOption option = new DurationOption();

  @Test
  void unitsAndFractions_areRead() {
    assertThat(option.convert("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(option.convert("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(option.convert("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(option.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(option.convert("500us")).isEqualTo(Duration.ofNanos(500_000));
    assertThat(option.convert("1m30s")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void numberWithoutUnit_isRefusedWithExamples() {
    assertThatThrownBy(() -> option.convert("5"))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessage(
            "expected a duration such as 5s, 250ms, 1m or 1h, got '5' (a unit is needed: 5s?)");
  }

  @Test
  void format_readsLikeInput() {
    assertThat(DurationOption.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(DurationOption.format(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(DurationOption.format(Duration.ofMillis(1500))).isEqualTo("1.50s");
  }
}
