package dev.ferry.proxy.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;

/** Connect's envelope: written with its flags, and a request body cut into its payloads. */
class ConnectEnvelopeTest {
  @Test
  void of_writesFlagsLengthAndPayload() {
    ByteBuf b = ConnectEnvelope.of(ConnectEnvelope.END_STREAM, new byte[] {'{', '}'});
    try {
      assertThat(ByteBufUtil.hexDump(b)).isEqualTo("02000000027b7d");
    } finally {
      b.release();
    }
  }

  @Test
  void split_givesEachPayloadInOrder() {
    byte[] body = {0, 0, 0, 0, 1, 'a', 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 'b', 'c'};

    assertThat(ConnectEnvelope.split(body))
        .containsExactly(new byte[] {'a'}, new byte[0], new byte[] {'b', 'c'});
    assertThat(ConnectEnvelope.split(new byte[0])).isEmpty();
  }

  @Test
  void split_refusesWhatARequestCannotBe() {
    assertThatThrownBy(() -> ConnectEnvelope.split(new byte[] {0, 0, 0}))
        .hasMessage("the body ends inside an envelope's prefix");
    assertThatThrownBy(() -> ConnectEnvelope.split(new byte[] {0, 0, 0, 0, 5, 'a'}))
        .hasMessage("an envelope of 5 bytes has only 1");
    assertThatThrownBy(() -> ConnectEnvelope.split(new byte[] {1, 0, 0, 0, 0}))
        .hasMessage("envelope flags 0x1 (expected: 0, uncompressed)");
  }
}
