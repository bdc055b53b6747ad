package dev.ferry.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.accesslog.AccessLogEntry;
import org.junit.jupiter.api.Test;

class RecentFailuresTest {
  private static AccessLogEntry failure(int n) {
    return new AccessLogEntry(
        1_000L * n,
        null,
        "POST",
        "/p" + n,
        null,
        "HTTP/2",
        true,
        200,
        14,
        null,
        "connect_failed",
        0,
        0,
        1_000,
        null,
        "connect_failed",
        "detail " + n,
        null,
        null);
  }

  @Test
  void keepsTheLastFailures_newestFirst() {
    RecentFailures failures = new RecentFailures();
    for (int i = 1; i <= RecentFailures.CAPACITY + 7; i++) {
      failures.add(failure(i));
    }

    assertThat(failures.newestFirst())
        .hasSize(RecentFailures.CAPACITY)
        .extracting(AccessLogEntry::path)
        .startsWith("/p" + (RecentFailures.CAPACITY + 7), "/p" + (RecentFailures.CAPACITY + 6))
        .endsWith("/p8");
  }

  @Test
  void empty_untilAFailure() {
    assertThat(new RecentFailures().newestFirst()).isEmpty();
  }
}
