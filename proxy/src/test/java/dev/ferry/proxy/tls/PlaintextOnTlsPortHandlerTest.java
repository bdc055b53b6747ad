package dev.ferry.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.connectionlog.CapturedLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PlaintextOnTlsPortHandlerTest {
  @RegisterExtension final CapturedLog captured = new CapturedLog();
  private final EmbeddedChannel ch = new EmbeddedChannel(new PlaintextOnTlsPortHandler());

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  private String written() {
    StringBuilder out = new StringBuilder();
    ByteBuf b;
    while ((b = ch.readOutbound()) != null) {
      out.append(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    return out.toString();
  }

  @Test
  void http11Request_gets400SayingThePortRequiresTls_andTheConnectionCloses() {
    ch.writeInbound(ascii("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));

    String response = written();
    assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n");
    assertThat(response).contains("connection: close\r\n");
    assertThat(response).endsWith("\r\n\r\n" + PlaintextOnTlsPortHandler.MESSAGE + "\n");
    assertThat(ch.isOpen()).isFalse();
    assertThat(captured.lines(" plaintext HTTP/1.1 on a TLS port")).hasSize(1);
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void requestLineArrivingByteByByte_isAnsweredOnceItsMethodIsIn() {
    ch.writeInbound(ascii("PO"));
    assertThat(written()).isEmpty();

    ch.writeInbound(ascii("ST / HTTP/1.1\r\n"));

    assertThat(written()).startsWith("HTTP/1.1 400 ");
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void http2Preface_getsSettingsThenGoAwayWithTheMessage() {
    ch.writeInbound(Http2CodecUtil.connectionPrefaceBuf());

    ByteBuf out = ch.readOutbound();
    // SETTINGS: empty, stream 0
    assertThat(out.readMedium()).isZero();
    assertThat(out.readByte()).isEqualTo((byte) 0x4);
    out.skipBytes(5);
    // GOAWAY: last stream 0, PROTOCOL_ERROR, the message as debug data
    int length = out.readMedium();
    assertThat(out.readByte()).isEqualTo((byte) 0x7);
    out.skipBytes(5);
    assertThat(out.readInt()).isZero();
    assertThat(out.readInt()).isEqualTo((int) Http2Error.PROTOCOL_ERROR.code());
    assertThat(out.readCharSequence(length - 8, StandardCharsets.US_ASCII).toString())
        .isEqualTo(PlaintextOnTlsPortHandler.MESSAGE);
    assertThat(out.isReadable()).isFalse();
    out.release();
    assertThat(captured.lines(" plaintext HTTP/2 on a TLS port")).hasSize(1);
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void tlsRecord_passesOnUntouched_andTheHandlerStepsAside() {
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05}));

    ByteBuf passed = ch.readInbound();
    assertThat(passed.readableBytes()).isEqualTo(5);
    passed.release();
    assertThat(ch.pipeline().get(PlaintextOnTlsPortHandler.class)).isNull();
    assertThat(written()).isEmpty();
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void lettersWithoutASpace_areNoRequest_andGoOnToTheHandshake() {
    ch.writeInbound(ascii("ABCDEFGHIJKLMNOPQRSTUVWXYZ"));

    ByteBuf passed = ch.readInbound();
    assertThat(passed.readableBytes()).isEqualTo(26);
    passed.release();
    assertThat(written()).isEmpty();
    assertThat(ch.finish()).isFalse();
  }
}
