package dev.ferry.proxy.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class GrpcMessageSizeCheckTest {
  @Test
  void messagesUpToTheLimit_pass() {
    GrpcMessageSizeCheck check = new GrpcMessageSizeCheck(4);
    ByteBuf b = Unpooled.buffer().writeByte(0).writeInt(4).writeZero(4).writeByte(0).writeInt(0);
    assertThat(check.exceeds(b)).isFalse();
    assertThat(b.readerIndex()).isZero();
    b.release();
  }

  @Test
  void aPrefixOverTheLimit_isCaughtBeforeItsBody_evenSplitAcrossBuffers() {
    GrpcMessageSizeCheck check = new GrpcMessageSizeCheck(4);
    ByteBuf b = Unpooled.buffer().writeByte(0).writeInt(2).writeZero(2).writeByte(0).writeInt(5);
    assertThat(check.exceeds(b.slice(0, 9))).isFalse();
    assertThat(check.exceeds(b.slice(9, 3))).isTrue();
    assertThat(check.offendingSize()).isEqualTo(5);
    assertThat(check.maxBytes()).isEqualTo(4);
    b.release();
  }
}
