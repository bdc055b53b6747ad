package dev.ferry.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.proxy.metrics.CallTotals;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallHistoryTest {
  /** Buckets of 10, 20 and 40 ms, then +Inf. */
  private static final double[] BOUNDS = {0.010, 0.020, 0.040};

  private final CallHistory history = new CallHistory(BOUNDS, 3);

  private static CallTotals totals(
      String route, String cluster, long calls, long errors, long... b) {
    return new CallTotals(route, cluster, calls, errors, b);
  }

  @Test
  void firstSample_isTheBaseline_andMakesNoPoint() {
    history.sample(1_000, List.of(totals("service=a.A", "a", 10, 0, 10, 0, 0, 0)));

    assertThat(history.routes()).singleElement().satisfies(s -> assertThat(s.points()).isEmpty());
  }

  @Test
  void point_isTheDifferenceOverTheInterval() {
    history.sample(1_000, List.of(totals("service=a.A", "a", 10, 0, 10, 0, 0, 0)));
    // 2 s later: 40 more calls, 4 of them failed; 20 under 10 ms, 20 between 10 and 20 ms.
    history.sample(3_000, List.of(totals("service=a.A", "a", 50, 4, 30, 20, 0, 0)));

    CallHistory.Point p = history.routes().get(0).points().get(0);
    assertThat(p.timeMillis()).isEqualTo(3_000);
    assertThat(p.callsPerSecond()).isEqualTo(20.0);
    assertThat(p.errorRatio()).isEqualTo(0.1);
    assertThat(p.p50Millis()).isCloseTo(10.0, within(1e-9));
    assertThat(p.p90Millis()).isCloseTo(18.0, within(1e-9));
    assertThat(p.p99Millis()).isCloseTo(19.8, within(1e-9));
  }

  @Test
  void clusters_sumTheirRoutes_andRoutesWithoutClusterAreLeftOut() {
    history.sample(0, List.of());
    history.sample(
        1_000,
        List.of(
            totals("service=a.A", "shared", 3, 1, 3, 0, 0, 0),
            totals("service=b.B", "shared", 5, 0, 5, 0, 0, 0),
            totals("none", "", 7, 7, 7, 0, 0, 0)));

    assertThat(history.clusters())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.cluster()).isEqualTo("shared");
              assertThat(s.points().get(0).callsPerSecond()).isEqualTo(8.0);
              assertThat(s.points().get(0).errorRatio()).isEqualTo(1.0 / 8);
            });
    assertThat(history.routes())
        .extracting(CallHistory.Series::route)
        .containsExactly("service=a.A", "service=b.B", "none");
  }

  @Test
  void slowerThanEveryBound_readsAsTheLargestBound() {
    history.sample(0, List.of());
    history.sample(1_000, List.of(totals("r", "c", 1, 0, 0, 0, 0, 1)));

    assertThat(history.routes().get(0).points().get(0).p99Millis()).isEqualTo(40.0);
  }

  @Test
  void keepsOnlyTheLastPoints() {
    for (int i = 0; i <= 5; i++) {
      history.sample(i * 1_000L, List.of(totals("r", "c", i, 0, i, 0, 0, 0)));
    }

    assertThat(history.routes().get(0).points())
        .extracting(CallHistory.Point::timeMillis)
        .containsExactly(3_000L, 4_000L, 5_000L);
  }

  @Test
  void quietInterval_isZeroNotNaN() {
    history.sample(0, List.of(totals("r", "c", 4, 0, 4, 0, 0, 0)));
    history.sample(1_000, List.of(totals("r", "c", 4, 0, 4, 0, 0, 0)));

    CallHistory.Point p = history.routes().get(0).points().get(0);
    assertThat(p.callsPerSecond()).isZero();
    assertThat(p.errorRatio()).isZero();
    assertThat(p.p99Millis()).isZero();
  }
}
