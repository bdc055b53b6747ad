package dev.ferry.proxy.connectionlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogBudgetTest {
  private final AtomicLong nanos = new AtomicLong(5_000);
  private final LogBudget budget = new LogBudget(3, 100, nanos::get);

  @Test
  void aBurstIsAllowed_thenLinesAreCountedAsSuppressed() {
    assertThat(budget.take()).isZero();
    assertThat(budget.take()).isZero();
    assertThat(budget.take()).isZero();
    assertThat(budget.take()).isEqualTo(-1);
    assertThat(budget.take()).isEqualTo(-1);
  }

  @Test
  void theNextLineAllowed_saysHowManyWereSuppressed_andTheCountStartsAgain() {
    for (int i = 0; i < 10; i++) {
      budget.take();
    }
    nanos.addAndGet(100);

    assertThat(budget.take()).isEqualTo(7);
    assertThat(budget.take()).isEqualTo(-1);
    nanos.addAndGet(100);
    assertThat(budget.take()).isEqualTo(1);
  }

  @Test
  void aQuietSpell_refillsNoMoreThanTheBurst() {
    budget.take();
    nanos.addAndGet(1_000_000);

    assertThat(budget.take()).isZero();
    assertThat(budget.take()).isZero();
    assertThat(budget.take()).isZero();
    assertThat(budget.take()).isEqualTo(-1);
  }
}
