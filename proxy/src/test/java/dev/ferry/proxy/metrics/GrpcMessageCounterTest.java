package dev.ferry.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class GrpcMessageCounterTest {
  private static ByteBuf messages(int... sizes) {
    ByteBuf b = Unpooled.buffer();
    for (int size : sizes) {
      b.writeByte(0).writeInt(size).writeZero(size);
    }
    return b;
  }

  @Test
  void countsMessages_includingEmptyOnes_andLeavesTheBufferAsItWas() {
    GrpcMessageCounter c = new GrpcMessageCounter();
    ByteBuf b = messages(3, 0, 70000);
    int before = b.readableBytes();
    c.add(b);
    assertThat(c.messages()).isEqualTo(3);
    assertThat(b.readableBytes()).isEqualTo(before);
    b.release();
  }

  @Test
  void messagesSplitAnywhere_areCountedOnce() {
    ByteBuf all = messages(10, 1, 300, 0, 2);
    for (int step = 1; step <= 7; step++) {
      GrpcMessageCounter c = new GrpcMessageCounter();
      for (int i = 0; i < all.readableBytes(); i += step) {
        c.add(all.slice(i, Math.min(step, all.readableBytes() - i)));
      }
      assertThat(c.messages()).as("in pieces of %d bytes", step).isEqualTo(5);
    }
    all.release();
  }
}
