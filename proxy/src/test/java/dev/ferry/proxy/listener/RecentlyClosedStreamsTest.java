package dev.ferry.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.listener.RecentlyClosedStreams.History;
import org.junit.jupiter.api.Test;

class RecentlyClosedStreamsTest {
  private final RecentlyClosedStreams closed = new RecentlyClosedStreams();

  @Test
  void tellsEndedFromResetFromSkipped() {
    closed.record(1, false);
    closed.record(5, true);

    assertThat(closed.historyOf(1)).isEqualTo(History.ENDED);
    assertThat(closed.historyOf(5)).isEqualTo(History.RESET);
    assertThat(closed.historyOf(3)).isEqualTo(History.NEVER_OPENED);
  }

  @Test
  void forgetsTheOldest_andSaysSoForIdsAtOrBelowThem() {
    // Stream 1 lives long; 3, 5, ... close before it; then it closes too.
    for (int i = 0; i < RecentlyClosedStreams.CAPACITY; i++) {
      closed.record(3 + 2 * i, false);
    }
    closed.record(1, true); // pushes out 3
    int newest = 1 + 2 * RecentlyClosedStreams.CAPACITY;
    closed.record(newest + 4, false); // pushes out 5; newest + 2 was skipped

    assertThat(closed.historyOf(1)).isEqualTo(History.RESET);
    assertThat(closed.historyOf(3)).isEqualTo(History.FORGOTTEN);
    assertThat(closed.historyOf(5)).isEqualTo(History.FORGOTTEN);
    assertThat(closed.historyOf(7)).isEqualTo(History.ENDED);
    assertThat(closed.historyOf(newest)).isEqualTo(History.ENDED);
    assertThat(closed.historyOf(newest + 2)).isEqualTo(History.NEVER_OPENED);
  }
}
