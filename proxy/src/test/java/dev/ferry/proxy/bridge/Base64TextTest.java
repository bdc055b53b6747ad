package dev.ferry.proxy.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.transport.Downstream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class Base64TextTest {
  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  private static String text(ByteBuf b) {
    try {
      return b.toString(StandardCharsets.ISO_8859_1);
    } finally {
      b.release();
    }
  }

  @Test
  void encode_padsEachPieceOnItsOwn() {
    for (String s : List.of("", "a", "ab", "abc", "abcd", "hello, world")) {
      assertThat(text(Base64Text.encode(ascii(s))))
          .isEqualTo(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII)));
    }
  }

  @Test
  void requestBody_decodesGroupsSplitAcrossPieces_andPaddingInTheMiddle() {
    RecordingDownstream down = new RecordingDownstream();
    Base64RequestBody body = new Base64RequestBody(down, 1);

    ByteBuf first = body.decode(ascii("YQ==Y")); // "a", then one character of the next group
    ByteBuf second = body.decode(ascii("mM=")); // completes "bc" with its padding
    ByteBuf none = body.decode(ascii("")); // nothing: acknowledged at once

    assertThat(text(first)).isEqualTo("a");
    assertThat(body.inGroup()).isFalse();
    assertThat(text(second)).isEqualTo("bc");
    none.release();
    assertThat(down.consumed).isEmpty();

    body.consumed(1);
    assertThat(down.consumed).containsExactly(5); // the base64 bytes the first piece came in
    body.consumed(1);
    assertThat(down.consumed).containsExactly(5); // half of the second piece is not enough
    body.consumed(1);
    assertThat(down.consumed).containsExactly(5, 3);
  }

  @Test
  void requestBody_refusesWhatIsNotBase64() {
    Base64RequestBody body = new Base64RequestBody(new RecordingDownstream(), 1);
    assertThat(body.decode(ascii("ab!d"))).isNull();
    assertThat(new Base64RequestBody(new RecordingDownstream(), 1).decode(ascii("a=bc"))).isNull();
  }

  @Test
  void trailerFrame_isFlagLengthAndHeaderLines() {
    Http2Headers t = new DefaultHttp2Headers().set("grpc-status", "3").set("grpc-message", "bad");
    ByteBuf f = GrpcWebTrailerFrame.encode(t);
    assertThat((int) f.readUnsignedByte()).isEqualTo(0x80);
    int len = f.readInt();
    assertThat(len).isEqualTo(f.readableBytes());
    assertThat(text(f)).isEqualTo("grpc-status:3\r\ngrpc-message:bad\r\n");
  }

  /** Records what is acknowledged to the client; nothing else is used. */
  private static final class RecordingDownstream implements Downstream {
    final List<Integer> consumed = new ArrayList<>();

    @Override
    public void consume(int streamId, int bytes) {
      consumed.add(bytes);
    }

    @Override
    public void writeHeaders(int streamId, Http2Headers headers, boolean endStream) {}

    @Override
    public void writeData(
        int streamId,
        ByteBuf data,
        boolean endStream,
        GenericFutureListener<? extends Future<? super Void>> onWritten) {
      data.release();
    }

    @Override
    public void reset(int streamId, Http2Error error) {}

    @Override
    public EventLoop eventLoop() {
      return null;
    }

    @Override
    public InetSocketAddress remoteAddress() {
      return null;
    }

    @Override
    public String clientIp() {
      return null;
    }

    @Override
    public String protocol() {
      return "HTTP/2";
    }
  }
}
