package dev.ferry.proxy.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrpcMessageReassemblerTest {
  @Test
  void messagesSplitAcrossBuffers_comeOutWhole_keptUpToTheLimit() {
    GrpcMessageReassembler r = new GrpcMessageReassembler(4);
    ByteBuf b = Unpooled.buffer().writeByte(0).writeInt(2).writeBytes("ab".getBytes());
    b.writeByte(1).writeInt(6).writeBytes("abcdef".getBytes());
    List<GrpcMessageReassembler.Message> out = new ArrayList<>();
    r.add(b.slice(0, 9), out::add);
    assertThat(r.hasPartialMessage()).isTrue();
    r.add(b.slice(9, b.readableBytes() - 9), out::add);
    assertThat(r.hasPartialMessage()).isFalse();

    assertThat(out).hasSize(2);
    assertThat(new String(out.get(0).kept(), StandardCharsets.US_ASCII)).isEqualTo("ab");
    assertThat(out.get(0).truncated()).isFalse();
    assertThat(out.get(1).compressed()).isTrue();
    assertThat(out.get(1).length()).isEqualTo(6);
    assertThat(new String(out.get(1).kept(), StandardCharsets.US_ASCII)).isEqualTo("abcd");
    assertThat(out.get(1).truncated()).isTrue();
    assertThat(b.readerIndex()).isZero();
    b.release();
  }
}
