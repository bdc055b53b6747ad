package dev.ferry.cli.call.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.grpc.Status;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LoadStatsTest {
  @Test
  void percentiles_agreeWithTheRawLatencies() {
    LoadStats stats = new LoadStats();
    Random random = new Random(42);
    long[] micros = new long[10_000];
    for (int i = 0; i < micros.length; i++) {
      micros[i] = 100 + (long) (random.nextGaussian() * 20 + 200) + (i % 100 == 0 ? 50_000 : 0);
      stats.record(0, micros[i] * 1000, Status.OK);
    }
    Arrays.sort(micros);
    for (double p : new double[] {50, 90, 99, 99.9}) {
      long raw = micros[(int) Math.ceil(p / 100 * micros.length) - 1];
      // HdrHistogram keeps 3 significant digits: within 0.1% of the raw value.
      assertThat((double) stats.percentileMicros(p))
          .as("p" + p)
          .isCloseTo(raw, within(raw * 0.001 + 1));
    }
    assertThat(stats.calls()).isEqualTo(10_000);
    assertThat(stats.minMicros()).isEqualTo(micros[0]);
  }

  @Test
  void statusesAreCounted_withTheFirstMessage() {
    LoadStats stats = new LoadStats();
    stats.record(0, 1000, Status.OK);
    stats.record(0, 1000, Status.UNAVAILABLE.withDescription("first"));
    stats.record(0, 1000, Status.UNAVAILABLE.withDescription("second"));
    assertThat(stats.failed()).isEqualTo(2);
    assertThat(stats.counts()).containsEntry(Status.Code.UNAVAILABLE, 2L);
    assertThat(stats.firstMessage(Status.Code.UNAVAILABLE)).isEqualTo("first");
  }

  @Test
  void perSecond_countsCallsAndErrorsBySecondOfTheRun() {
    LoadStats stats = new LoadStats();
    long start = 5_000_000_000L;
    stats.start(start);
    stats.record(start + 100_000_000L, 2_000_000, Status.OK);
    stats.record(start + 900_000_000L, 4_000_000, Status.UNAVAILABLE);
    stats.record(start + 2_500_000_000L, 1_000_000, Status.OK);

    assertThat(stats.perSecond())
        .containsExactly(
            new long[] {2, 1, 3_000, 4_000},
            new long[] {0, 0, 0, 0},
            new long[] {1, 0, 1_000, 1_000});
  }

  @Test
  void slos_areParsedAndChecked() {
    LoadStats stats = new LoadStats();
    for (int i = 1; i <= 100; i++) {
      stats.record(0, i * 1_000_000L, i == 100 ? Status.INTERNAL : Status.OK);
    }
    var slos = Slo.parse("p50<=51ms, p99 < 100ms, errors<2%");
    assertThat(slos).hasSize(3).allMatch(s -> s.holds(stats));
    assertThat(Slo.parse("errors<0.5%").get(0).holds(stats)).isFalse();
    assertThat(Slo.parse("max<99ms").get(0).describeMeasured(stats)).isEqualTo("100.03ms");
  }

  @Test
  void badSlo_isRefusedWithAnExample() {
    assertThatThrownBy(() -> Slo.parse("p98<5ms")).hasMessageContaining("like p99<50ms");
    assertThatThrownBy(() -> Slo.parse("errors<1")).hasMessageContaining("percentage");
  }
}
