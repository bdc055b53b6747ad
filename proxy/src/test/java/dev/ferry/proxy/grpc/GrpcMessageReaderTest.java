package dev.ferry.proxy.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GrpcMessageReaderTest {
  private static ByteBuf frame(String message) {
    return GrpcMessageFrame.of(
        PooledByteBufAllocator.DEFAULT, message.getBytes(StandardCharsets.US_ASCII));
  }

  private static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.US_ASCII);
  }

  @Test
  void wholeMessages_comeOutOneByOne_onceComplete() {
    GrpcMessageReader r = new GrpcMessageReader(100);
    ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer();
    ByteBuf one = frame("one");
    ByteBuf two = frame("two!");
    b.writeBytes(one).writeBytes(two);
    one.release();
    two.release();
    r.add(b.slice(0, 10));
    assertThat(text(r.next())).isEqualTo("one");
    assertThat(r.next()).isNull();
    assertThat(r.isEmpty()).isFalse();
    r.add(b.slice(10, b.readableBytes() - 10));
    assertThat(text(r.next())).isEqualTo("two!");
    assertThat(r.isEmpty()).isTrue();
    assertThat(b.release()).isTrue();
  }

  @Test
  void compressedMessages_areRefusedWhenReached() {
    GrpcMessageReader r = new GrpcMessageReader(100);
    ByteBuf b = frame("ok");
    b.writeByte(1).writeInt(0);
    r.add(b);
    b.release();
    assertThat(text(r.next())).isEqualTo("ok");
    assertThatThrownBy(r::next)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("compressed message (no grpc-encoding was offered)");
  }

  @Test
  void aMessageOverTheLimit_isRefused() {
    GrpcMessageReader r = new GrpcMessageReader(3);
    ByteBuf b = frame("four");
    r.add(b);
    b.release();
    assertThatThrownBy(r::next).hasMessage("message of 4 bytes");
    assertThat(r.isEmpty()).isFalse();
  }

  @Test
  void frame_isAnUncompressedPrefixThenTheMessage() {
    ByteBuf b = frame("hi");
    assertThat(io.netty.buffer.ByteBufUtil.hexDump(b)).isEqualTo("00000000026869");
    b.release();
  }
}
