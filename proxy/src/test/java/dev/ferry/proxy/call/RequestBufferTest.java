package dev.ferry.proxy.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestBufferTest {
  @Test
  void sentBytes_areKeptForReplay_untilTheBackendAnswers() {
    RequestBuffer b = new RequestBuffer();
    ByteBuf data = Unpooled.buffer().writeBytes(new byte[] {1, 2, 3});
    b.sending(data);
    data.release(); // the upstream write took and released the original
    assertThat(b.replayable()).isTrue();
    List<ByteBuf> replay = b.takeSent();
    assertThat(replay).hasSize(1);
    assertThat(replay.get(0).readableBytes()).isEqualTo(3);
    assertThat(replay.get(0).refCnt()).isEqualTo(1);
    replay.get(0).release();
    assertThat(data.refCnt()).isZero();
  }

  @Test
  void pastTheLimit_theCallIsNoLongerReplayable_andCopiesAreReleased() {
    RequestBuffer b = new RequestBuffer();
    ByteBuf small = Unpooled.buffer().writeZero(10);
    b.sending(small);
    ByteBuf big = Unpooled.buffer().writeZero(RequestBuffer.REPLAY_LIMIT);
    b.sending(big);
    assertThat(b.replayable()).isFalse();
    assertThat(small.refCnt()).isEqualTo(1); // only the original's reference is left
    small.release();
    big.release();
    assertThat(b.takeSent()).isEmpty();
  }

  @Test
  void releaseAll_releasesHeldBuffers_andCountsTheirBytes() {
    RequestBuffer b = new RequestBuffer();
    ByteBuf held = Unpooled.buffer().writeZero(7);
    b.hold(held);
    assertThat(b.releaseAll()).isEqualTo(7);
    assertThat(held.refCnt()).isZero();
    assertThat(b.hasPending()).isFalse();
  }
}
