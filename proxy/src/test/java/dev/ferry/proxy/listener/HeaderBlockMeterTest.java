package dev.ferry.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.connectionlog.ConnectionEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import org.junit.jupiter.api.Test;

/**
 * The size of a client's header blocks, read from its raw bytes however they are split, and the
 * connection error it turns into an abuse limit.
 */
class HeaderBlockMeterTest {
  private final HeaderBlockMeter meter = new HeaderBlockMeter();

  @Test
  void headersAndContinuations_splitAcrossReads_addUpToOneBlock() {
    ByteBuf bytes = Unpooled.buffer();
    bytes.writeBytes(Http2CodecUtil.connectionPrefaceBuf());
    frame(bytes, 0x4, 0x0, 3); // SETTINGS
    frame(bytes, 0x1, 0x0, 1000); // HEADERS without END_HEADERS
    frame(bytes, 0x9, 0x0, 2000); // CONTINUATION
    frame(bytes, 0x9, 0x4, 500); // CONTINUATION with END_HEADERS
    frame(bytes, 0x1, 0x4 | 0x1, 40); // a small block: the largest stays
    frame(bytes, 0x0, 0x1, 70_000); // DATA, skipped

    // One byte at a time: frame headers and payloads cut anywhere.
    for (int i = 0; i < bytes.writerIndex(); i++) {
      ByteBuf one = bytes.slice(i, 1);
      meter.read(one);
      assertThat(one.readerIndex()).as("nothing consumed").isZero();
    }
    // All in one read: each frame header read whole.
    HeaderBlockMeter whole = new HeaderBlockMeter();
    whole.read(bytes);
    assertThat(bytes.readerIndex()).as("nothing consumed").isZero();
    bytes.release();

    assertThat(meter.largestBlock()).isEqualTo(3500);
    assertThat(whole.largestBlock()).isEqualTo(3500);
  }

  @Test
  void protocolErrorAfterABlockOverTheThreshold_isTheHeaderListLimit() {
    Http2Exception e =
        Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR, "Header size exceeded");

    ClientConnectionError error = ClientConnectionError.of(e, false, true, 16384, 87_500);

    assertThat(error.event()).isEqualTo(ConnectionEvent.ABUSE_LIMIT);
    assertThat(error.detail())
        .isEqualTo(
            "closing abusive connection: header list over the limit of 16384 bytes: a header block"
                + " of 87500 bytes (compressed, as much as had arrived; a block over 20480 bytes"
                + " closes the connection, a smaller one gets 431)");
  }

  @Test
  void protocolErrorWithSmallBlocks_staysAProtocolError() {
    Http2Exception e = Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR, "bad frame");

    ClientConnectionError error = ClientConnectionError.of(e, false, true, 16384, 20480);

    assertThat(error.event()).isEqualTo(ConnectionEvent.PROTOCOL_ERROR);
    assertThat(error.detail()).isEqualTo("closing on a protocol error (PROTOCOL_ERROR): bad frame");
  }

  /** A frame header of {@code type} and {@code flags} on stream 1, then {@code length} zeros. */
  private static void frame(ByteBuf out, int type, int flags, int length) {
    out.writeMedium(length).writeByte(type).writeByte(flags).writeInt(1).writeZero(length);
  }
}
