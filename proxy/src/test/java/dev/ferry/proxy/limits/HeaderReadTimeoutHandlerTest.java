package dev.ferry.proxy.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HeaderReadTimeoutHandlerTest {
  private static final long TIMEOUT_MS = 500;

  /** A connected channel on a frozen clock, the handler added as the initializer adds it. */
  private static EmbeddedChannel connection() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline().addLast(new HeaderReadTimeoutHandler(TIMEOUT_MS));
    return ch;
  }

  private static void advance(EmbeddedChannel ch, long millis) {
    ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
  }

  @Test
  void silentConnection_isClosedWhenTheTimeoutEnds() {
    EmbeddedChannel ch = connection();

    advance(ch, TIMEOUT_MS - 1);
    assertThat(ch.isOpen()).isTrue();
    advance(ch, 1);

    assertThat(ch.isOpen()).isFalse();
    assertFalse(ch.finish());
  }

  @Test
  void dribbledBytes_doNotPostponeTheClose() {
    EmbeddedChannel ch = connection();

    for (int i = 0; i < 4; i++) {
      advance(ch, TIMEOUT_MS / 5);
      ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'x'}));
      ByteBuf passedOn = ch.readInbound();
      passedOn.release();
    }
    assertThat(ch.isOpen()).isTrue();
    advance(ch, TIMEOUT_MS / 5);

    assertThat(ch.isOpen()).isFalse();
    assertFalse(ch.finish());
  }

  @Test
  void requestSeen_stopsTheTimer_andRemovesTheHandler() {
    EmbeddedChannel ch = connection();

    HeaderReadTimeoutHandler.requestSeen(ch);
    advance(ch, TimeUnit.HOURS.toMillis(1));

    assertThat(ch.isOpen()).isTrue();
    assertThat(ch.pipeline().get(HeaderReadTimeoutHandler.class)).isNull();
    assertFalse(ch.finish());
  }

  @Test
  void requestSeen_onAConnectionWithoutTheTimer_changesNothing() {
    EmbeddedChannel ch = new EmbeddedChannel();

    HeaderReadTimeoutHandler.requestSeen(ch);

    assertThat(ch.isOpen()).isTrue();
    assertFalse(ch.finish());
  }

  @Test
  void connectionClosedByTheClient_leavesNoTimerBehind() {
    EmbeddedChannel ch = connection();

    ch.close();
    advance(ch, TIMEOUT_MS);

    assertThat(ch.isOpen()).isFalse();
    assertFalse(ch.finish());
  }
}
