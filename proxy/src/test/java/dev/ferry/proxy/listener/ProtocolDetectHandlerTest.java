package dev.ferry.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ProtocolDetectHandlerTest {
  private final ChannelInboundHandlerAdapter http2Marker = new ChannelInboundHandlerAdapter();
  private final AtomicBoolean http1 = new AtomicBoolean();

  private EmbeddedChannel channel() {
    return new EmbeddedChannel(new ProtocolDetectHandler(http2Marker, ctx -> http1.set(true)));
  }

  @Test
  void preface_installsHttp2_andPassesTheBytesOn() {
    EmbeddedChannel ch = channel();
    ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
    // Arrives in two pieces: the handler waits for the whole preface.
    ch.writeInbound(preface.retainedSlice(0, 10));
    assertThat(ch.pipeline().get(ProtocolDetectHandler.class)).isNotNull();
    ch.writeInbound(preface.retainedSlice(10, preface.readableBytes() - 10));
    assertThat(ch.pipeline().get(ProtocolDetectHandler.class)).isNull();
    assertThat(ch.pipeline().last()).isSameAs(http2Marker);
    assertThat(http1).isFalse();
    ByteBuf passed = ch.readInbound();
    assertThat(passed.readableBytes()).isEqualTo(24);
    passed.release();
    assertFalse(ch.finish());
  }

  @Test
  void http11RequestLine_installsHttp1() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", StandardCharsets.US_ASCII));
    assertThat(http1).isTrue();
    assertThat(ch.pipeline().get(ProtocolDetectHandler.class)).isNull();
    ByteBuf passed = ch.readInbound();
    assertThat(passed.toString(StandardCharsets.US_ASCII)).startsWith("GET /");
    passed.release();
    assertFalse(ch.finish());
  }

  @Test
  void requestLine_decidesHttp1OnceComplete() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(ascii("P"));
    assertThat(http1).isFalse(); // "P" could still be the preface
    ch.writeInbound(ascii("OST /a"));
    assertThat(http1).isFalse(); // a method, but not yet a version
    ch.writeInbound(ascii(" HTTP/1.1\r\n"));
    assertThat(http1).isTrue();
    assertThat(ch.pipeline().last()).isNotSameAs(http2Marker);
    assertThat(readAll(ch)).isEqualTo("POST /a HTTP/1.1\r\n");
    assertFalse(ch.finish());
  }

  @Test
  void emptyLinesBeforeTheRequestLine_areHttp1() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(ascii("\r\n\r\nGET / HTTP/1.0\r\n"));
    assertThat(http1).isTrue();
    assertThat(readAll(ch)).isEqualTo("\r\n\r\nGET / HTTP/1.0\r\n");
    assertFalse(ch.finish());
  }

  @Test
  void lineWithoutAnHttp1Version_isABrokenPreface_forHttp2ToAnswer() {
    EmbeddedChannel ch = channel();
    // h2spec's http2/3.5/2
    ch.writeInbound(ascii("INVALID CONNECTION PREFACE\r\n\r\n"));
    assertThat(http1).isFalse();
    assertThat(ch.pipeline().get(ProtocolDetectHandler.class)).isNull();
    assertThat(ch.pipeline().last()).isSameAs(http2Marker);
    assertThat(readAll(ch)).isEqualTo("INVALID CONNECTION PREFACE\r\n\r\n");
    assertFalse(ch.finish());
  }

  @Test
  void prefaceGoingWrongAfterPri_isHttp2AtOnce() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(ascii("PRI / HTTP/1.1"));
    assertThat(http1).isFalse();
    assertThat(ch.pipeline().last()).isSameAs(http2Marker);
    assertThat(readAll(ch)).isEqualTo("PRI / HTTP/1.1");
    assertFalse(ch.finish());
  }

  @Test
  void requestLineLongerThanTheCodecTakes_isLeftToHttp1() {
    EmbeddedChannel ch = channel();
    String line = "GET /" + "a".repeat(ProtocolDetectHandler.MAX_REQUEST_LINE);
    ch.writeInbound(ascii(line.substring(0, 100)));
    assertThat(http1).isFalse();
    ch.writeInbound(ascii(line.substring(100)));
    assertThat(http1).isTrue();
    assertThat(readAll(ch)).isEqualTo(line);
    assertFalse(ch.finish());
  }

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  /** Everything passed on, as one string. */
  private static String readAll(EmbeddedChannel ch) {
    StringBuilder all = new StringBuilder();
    ByteBuf b;
    while ((b = ch.readInbound()) != null) {
      all.append(b.toString(StandardCharsets.US_ASCII));
      b.release();
    }
    return all.toString();
  }
}
