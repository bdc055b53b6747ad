package dev.ferry.proxy.call;

import static dev.ferry.proxy.call.CallPhase.ADMITTING;
import static dev.ferry.proxy.call.CallPhase.AWAITING_RESPONSE;
import static dev.ferry.proxy.call.CallPhase.CONNECTING;
import static dev.ferry.proxy.call.CallPhase.DONE;
import static dev.ferry.proxy.call.CallPhase.HOLDING_FOR_RETRY;
import static dev.ferry.proxy.call.CallPhase.STREAMING;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallPhaseTest {
  @Test
  void theArrowsOfTheDiagram_areTheOnlyMovesAllowed() {
    assertThat(from(ADMITTING)).containsExactlyInAnyOrder(CONNECTING, DONE);
    assertThat(from(CONNECTING)).containsExactlyInAnyOrder(CONNECTING, AWAITING_RESPONSE, DONE);
    assertThat(from(AWAITING_RESPONSE))
        .containsExactlyInAnyOrder(CONNECTING, HOLDING_FOR_RETRY, STREAMING, DONE);
    assertThat(from(HOLDING_FOR_RETRY)).containsExactlyInAnyOrder(CONNECTING, STREAMING, DONE);
    assertThat(from(STREAMING)).containsExactly(DONE);
    assertThat(from(DONE)).isEmpty();
  }

  private static Set<CallPhase> from(CallPhase phase) {
    Set<CallPhase> next = EnumSet.noneOf(CallPhase.class);
    for (CallPhase p : CallPhase.values()) {
      if (p.mayFollow(phase)) {
        next.add(p);
      }
    }
    return next;
  }
}
