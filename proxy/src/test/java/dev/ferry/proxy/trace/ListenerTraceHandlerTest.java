package dev.ferry.proxy.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The listener's tap handler on an EmbeddedChannel: bytes pass unchanged, and copies are traced.
 */
class ListenerTraceHandlerTest {
  private final RecordingSink sink = new RecordingSink();

  @Test
  void bytesBothWays_passUnchanged_andAreTraced() {
    EmbeddedChannel ch =
        new EmbeddedChannel(new ListenerTraceHandler(7, TraceOptions.defaults(), sink));
    ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
    // The client's preface and an empty SETTINGS frame; the server's empty SETTINGS.
    ByteBuf settings = Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});

    ch.writeInbound(Unpooled.wrappedBuffer(preface, settings.retainedDuplicate()));
    ch.writeOutbound(settings);

    ByteBuf in = ch.readInbound();
    assertThat(in.readableBytes()).isEqualTo(24 + 9);
    assertThat(in.toString(0, 24, StandardCharsets.US_ASCII)).startsWith("PRI * HTTP/2.0");
    in.release();
    ByteBuf out = ch.readOutbound();
    assertThat(out.readableBytes()).isEqualTo(9);
    out.release();
    assertThat(ch.finish()).isFalse();

    assertThat(sink.events())
        .extracting(TraceEvent::type)
        .containsExactly("OPEN", "SETTINGS", "SETTINGS", "CLOSE");
    assertThat(sink.events()).allMatch(e -> e.connectionId() == 7);
  }

  @Test
  void garbage_stopsTheTraceOnly_andStillPasses() {
    EmbeddedChannel ch =
        new EmbeddedChannel(new ListenerTraceHandler(1, TraceOptions.defaults(), sink));

    ch.writeInbound(
        Unpooled.copiedBuffer("\u0016\u0003\u0001 not http", StandardCharsets.ISO_8859_1));
    ch.writeInbound(Unpooled.copiedBuffer("more", StandardCharsets.US_ASCII));

    ByteBuf first = ch.readInbound();
    ByteBuf second = ch.readInbound();
    assertThat(second.toString(StandardCharsets.US_ASCII)).isEqualTo("more");
    first.release();
    second.release();
    assertThat(ch.finish()).isFalse();
    assertThat(sink.events()).anyMatch(e -> e.kind() == TraceEvent.Kind.PARSE_ERROR);
  }
}
