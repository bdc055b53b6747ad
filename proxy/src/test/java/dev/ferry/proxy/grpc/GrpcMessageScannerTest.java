package dev.ferry.proxy.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrpcMessageScannerTest {
  private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

  /** Writes down what the scanner reports, a message to a line, its bytes joined. */
  private static final class Recorder implements GrpcMessageScanner.Listener {
    final List<String> messages = new ArrayList<>();
    final long limit;
    private StringBuilder current;

    Recorder(long limit) {
      this.limit = limit;
    }

    @Override
    public boolean onMessageStart(boolean compressed, long length) {
      if (length > limit) {
        messages.add("refused " + length);
        return false;
      }
      current = new StringBuilder((compressed ? "compressed " : "") + length + ":");
      return true;
    }

    @Override
    public void onMessageBytes(ByteBuf data, int index, int length) {
      current.append(data.toString(index, length, StandardCharsets.US_ASCII));
    }

    @Override
    public void onMessageEnd() {
      messages.add(current.toString());
      current = null;
    }
  }

  private static ByteBuf frames(String... messages) {
    ByteBuf b = ALLOC.directBuffer();
    for (String m : messages) {
      boolean compressed = m.startsWith("!");
      String body = compressed ? m.substring(1) : m;
      b.writeByte(compressed ? 1 : 0).writeInt(body.length());
      b.writeCharSequence(body, StandardCharsets.US_ASCII);
    }
    return b;
  }

  @Test
  void severalMessagesInOneBuffer_areReportedInOrder_includingEmptyAndCompressedOnes() {
    Recorder r = new Recorder(Long.MAX_VALUE);
    GrpcMessageScanner s = new GrpcMessageScanner(r);
    ByteBuf b = frames("abc", "", "!zz", "hello");
    s.scan(b);
    assertThat(r.messages).containsExactly("3:abc", "0:", "compressed 2:zz", "5:hello");
    assertThat(s.inMessage()).isFalse();
    assertThat(b.release()).isTrue();
  }

  @Test
  void framesSplitAtEveryByteBoundary_readAsInOneBuffer() {
    ByteBuf all = frames("abc", "", "!zz", "hello");
    int n = all.readableBytes();
    for (int cut = 0; cut <= n; cut++) {
      for (int second = cut; second <= n; second++) {
        Recorder r = new Recorder(Long.MAX_VALUE);
        GrpcMessageScanner s = new GrpcMessageScanner(r);
        s.scan(all.slice(0, cut));
        s.scan(all.slice(cut, second - cut));
        s.scan(all.slice(second, n - second));
        assertThat(r.messages)
            .as("cut at %d and %d", cut, second)
            .containsExactly("3:abc", "0:", "compressed 2:zz", "5:hello");
      }
    }
    assertThat(all.release()).isTrue();
  }

  @Test
  void aBufferOfOneByteAtATime_isReadAsAWhole() {
    ByteBuf all = frames("abc", "de");
    Recorder r = new Recorder(Long.MAX_VALUE);
    GrpcMessageScanner s = new GrpcMessageScanner(r);
    for (int i = 0; i < all.readableBytes(); i++) {
      ByteBuf one = ALLOC.buffer(1).writeByte(all.getByte(i));
      s.scan(one);
      one.release();
    }
    assertThat(r.messages).containsExactly("3:abc", "2:de");
    all.release();
  }

  @Test
  void inMessage_fromTheFirstPrefixByte_untilTheLastBodyByte() {
    ByteBuf all = frames("ab");
    GrpcMessageScanner s = new GrpcMessageScanner(new Recorder(Long.MAX_VALUE));
    assertThat(s.inMessage()).isFalse();
    s.scan(all.slice(0, 1));
    assertThat(s.inMessage()).as("in the prefix").isTrue();
    s.scan(all.slice(1, 5));
    assertThat(s.inMessage()).as("in the body").isTrue();
    s.scan(all.slice(6, 1));
    assertThat(s.inMessage()).isFalse();
    all.release();
  }

  @Test
  void aLengthOverTheListenersLimit_stopsTheScannerThere() {
    Recorder r = new Recorder(3);
    GrpcMessageScanner s = new GrpcMessageScanner(r);
    ByteBuf b = frames("ab", "toolong", "c");
    s.scan(b);
    s.scan(b); // once stopped, later bytes are not read
    assertThat(r.messages).containsExactly("2:ab", "refused 7");
    b.release();
  }

  @Test
  void theLength_isReadUnsigned() {
    Recorder r = new Recorder(0);
    GrpcMessageScanner s = new GrpcMessageScanner(r);
    ByteBuf b = ALLOC.buffer().writeByte(0).writeInt(-1);
    s.scan(b);
    assertThat(r.messages).containsExactly("refused 4294967295");
    b.release();
  }

  @Test
  void theBuffer_isLeftAsItWas_andStillTheCallers() {
    ByteBuf b = frames("abc", "de");
    b.readerIndex(0);
    int writer = b.writerIndex();
    new GrpcMessageScanner(new Recorder(Long.MAX_VALUE)).scan(b);
    assertThat(b.readerIndex()).isZero();
    assertThat(b.writerIndex()).isEqualTo(writer);
    assertThat(b.refCnt()).isEqualTo(1);
    assertThat(b.release()).isTrue();
  }

  @Test
  void countsMessages_includingEmptyOnes_wholeOrSplitAnywhere() {
    ByteBuf all = frames("0123456789", "a", "x".repeat(300), "", "bc");
    for (int step = 1; step <= all.readableBytes(); step += step < 8 ? 1 : 100) {
      GrpcMessageScanner s = new GrpcMessageScanner(GrpcMessageScanner.COUNT_ONLY);
      for (int i = 0; i < all.readableBytes(); i += step) {
        s.scan(all.slice(i, Math.min(step, all.readableBytes() - i)));
      }
      assertThat(s.messages()).as("in pieces of %d bytes", step).isEqualTo(5);
      assertThat(s.inMessage()).isFalse();
    }
    all.release();
  }
}
