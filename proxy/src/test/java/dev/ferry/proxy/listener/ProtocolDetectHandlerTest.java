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
  void firstByteOff_decidesHttp1AtOnce() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(Unpooled.copiedBuffer("P", StandardCharsets.US_ASCII));
    assertThat(http1).isFalse(); // "P" could still be the preface
    ch.writeInbound(Unpooled.copiedBuffer("OST", StandardCharsets.US_ASCII));
    assertThat(http1).isTrue();
    ByteBuf passed = ch.readInbound();
    assertThat(passed.toString(StandardCharsets.US_ASCII)).isEqualTo("POST");
    passed.release();
    assertFalse(ch.finish());
  }
}
