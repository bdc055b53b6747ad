package dev.ferry.proxy.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.config.OutlierConfig;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {
  private long now = 1_000_000_000L;
  private final EndpointHealth a = new EndpointHealth();
  private final EndpointHealth b = new EndpointHealth();
  private final EndpointHealth c = new EndpointHealth();
  private final EndpointHealth d = new EndpointHealth();

  private OutlierDetector detector(int maxPercent) {
    return new OutlierDetector(
        "cl",
        new OutlierConfig(
            3, Set.of(14), Duration.ofSeconds(10), Duration.ofSeconds(25), maxPercent),
        List.of(a, b, c, d),
        () -> now);
  }

  private void advance(long seconds) {
    now += TimeUnit.SECONDS.toNanos(seconds);
  }

  private static void fail(OutlierDetector od, EndpointHealth h, int times) {
    for (int i = 0; i < times; i++) {
      od.failed(h, "e", "connect refused");
    }
  }

  @Test
  void consecutiveFailures_eject_andTheEndpointReturnsAfterTheBaseTime() {
    OutlierDetector od = detector(50);
    fail(od, a, 2);
    assertThat(od.isEjected(a)).isFalse();
    fail(od, a, 1);
    assertThat(od.isEjected(a)).isTrue();
    assertThat(a.ejections()).isEqualTo(1);
    advance(9);
    assertThat(od.isEjected(a)).isTrue();
    advance(1);
    assertThat(od.isEjected(a)).isFalse();
  }

  @Test
  void aSuccess_breaksTheRun() {
    OutlierDetector od = detector(50);
    fail(od, a, 2);
    od.succeeded(a);
    fail(od, a, 2);
    assertThat(od.isEjected(a)).isFalse();
  }

  @Test
  void repeatedEjections_lastLonger_upToTheMaximum_andCalmResetsThem() {
    OutlierDetector od = detector(50);
    fail(od, a, 3); // 10s
    advance(10);
    fail(od, a, 3); // 20s
    assertThat(od.isEjected(a)).isTrue();
    advance(19);
    assertThat(od.isEjected(a)).isTrue();
    advance(1);
    fail(od, a, 3); // 30s, capped at 25s
    advance(24);
    assertThat(od.isEjected(a)).isTrue();
    advance(1);
    assertThat(od.isEjected(a)).isFalse();
    advance(26); // in for longer than the maximum: back to the base time
    fail(od, a, 3);
    advance(10);
    assertThat(od.isEjected(a)).isFalse();
    assertThat(a.ejections()).isEqualTo(4);
  }

  @Test
  void neverMoreThanMaxEjectionPercentAtOnce() {
    OutlierDetector od = detector(50); // 2 of 4
    fail(od, a, 3);
    fail(od, b, 3);
    fail(od, c, 3);
    fail(od, d, 30);
    assertThat(List.of(a, b, c, d).stream().filter(od::isEjected).count()).isEqualTo(2);
    advance(10);
    fail(od, c, 3);
    assertThat(od.isEjected(c)).isTrue();
  }

  @Test
  void atLeastOneEndpointMayBeEjected_evenWhenTheShareRoundsToZero() {
    OutlierDetector od = detector(10);
    fail(od, a, 3);
    fail(od, b, 3);
    assertThat(od.isEjected(a)).isTrue();
    assertThat(od.isEjected(b)).isFalse();
  }

  @Test
  void onlyConfiguredStatuses_countAsFailures() {
    OutlierDetector od = detector(50);
    assertThat(od.isFailure(14)).isTrue();
    assertThat(od.isFailure(13)).isFalse();
    assertThat(od.isFailure(0)).isFalse();
    assertThat(od.isFailure(-1)).isFalse();
  }
}
