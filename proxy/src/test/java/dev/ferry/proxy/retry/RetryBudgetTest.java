package dev.ferry.proxy.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  private long now;
  private final RetryBudget budget = new RetryBudget(20, () -> now);

  private int retriesAllowed(int attempts) {
    int n = 0;
    for (int i = 0; i < attempts; i++) {
      if (budget.tryRetry()) {
        n++;
      }
    }
    return n;
  }

  private void calls(int n) {
    for (int i = 0; i < n; i++) {
      budget.callStarted();
    }
  }

  @Test
  void aQuietRoute_mayRetryAFewTimes() {
    assertThat(retriesAllowed(10)).isEqualTo(RetryBudget.MIN_RETRIES);
  }

  @Test
  void retries_areCappedAtTheShareOfCalls() {
    calls(100);
    assertThat(retriesAllowed(1000)).isEqualTo(RetryBudget.MIN_RETRIES + 20);
  }

  @Test
  void thePreviousWindow_fadesOut() {
    calls(100);
    assertThat(retriesAllowed(1000)).isEqualTo(23);
    now += RetryBudget.WINDOW_NANOS + RetryBudget.WINDOW_NANOS / 2;
    // Half of the last window still counts: 50 calls and 11.5 retries; 3 + 10 allowed in all.
    assertThat(retriesAllowed(1000)).isEqualTo(1);
    now += TimeUnit.SECONDS.toNanos(60);
    assertThat(retriesAllowed(1000)).isEqualTo(RetryBudget.MIN_RETRIES);
  }
}
