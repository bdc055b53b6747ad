package dev.ferry.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void units_andSums_parse() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
  }

  @Test
  void fractions_andMicroseconds_parse() {
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("0.1s")).isEqualTo(Duration.ofMillis(100));
    assertThat(Durations.parse("2.5m")).isEqualTo(Duration.ofSeconds(150));
    assertThat(Durations.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(Durations.parse("1.5us")).isEqualTo(Duration.ofNanos(1500));
    assertThat(Durations.parse("1m0.5s")).isEqualTo(Duration.ofMillis(60_500));
  }

  @Test
  void format_isTheShortestParseableForm() {
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(Durations.format(Duration.ofMillis(1250))).isEqualTo("1s250ms");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.format(Duration.ofNanos(1_500_000))).isEqualTo("1ms500us");
    assertThat(Durations.parse(Durations.format(Duration.ofMillis(3_723_004))))
        .isEqualTo(Duration.ofMillis(3_723_004));
  }

  @Test
  void negativeHalfWrittenOrUnknownUnit_isRefused() {
    for (String bad : new String[] {"-1s", "1.s", ".5s", "5d", "5ns", "s", ""}) {
      assertThatThrownBy(() -> Durations.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("expected a duration such as 5s, 250ms, 1m or 1h, got '");
    }
  }

  @Test
  void absurdlyLong_isRefusedNotOverflowed() {
    assertThatThrownBy(() -> Durations.parse("99999999999999999999h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duration '99999999999999999999h' is too long");
  }
}
