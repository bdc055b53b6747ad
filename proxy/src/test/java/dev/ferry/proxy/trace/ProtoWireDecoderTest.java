package dev.ferry.proxy.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProtoWireDecoderTest {
  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  @Test
  void everyWireType_isShownAsProtocDecodeRawDoes() {
    byte[] message =
        bytes(
            0x08, 0x96, 0x01, // 1: 150
            0x11, 1, 0, 0, 0, 0, 0, 0, 0, // 2: fixed64 1
            0x1d, 2, 0, 0, 0, // 3: fixed32 2
            0x22, 0x02, 0x08, 0x01, // 4 { 1: 1 } - not printable, parses as a message
            0x2a, 0x02, 'h', 'i', // 5: "hi"
            0x32, 0x02, 0xff, 0xfe); // 6: bytes

    assertThat(ProtoWireDecoder.describe(message))
        .containsExactly(
            "1: 150",
            "2: 0x0000000000000001 (fixed64)",
            "3: 0x00000002 (fixed32)",
            "4 {",
            "  1: 1",
            "}",
            "5: \"hi\"",
            "6: bytes(2) ff fe");
  }

  @Test
  void notProtobuf_isNull() {
    assertThat(ProtoWireDecoder.describe(bytes(0x0a, 0x05, 'a'))).isNull();
    assertThat(ProtoWireDecoder.describe(bytes(0x0f))).isNull();
    assertThat(ProtoWireDecoder.describe(bytes(0x08))).isNull();
    assertThat(ProtoWireDecoder.describe(bytes())).isEmpty();
  }

  @Test
  void grpcTimeoutAndMessage_areExplained() {
    assertThat(HeaderLines.annotate("grpc-timeout", "250m")).isEqualTo("deadline in 250.000 ms");
    assertThat(HeaderLines.annotate("grpc-message", "caf%C3%A9%20ok")).isEqualTo("café ok");
    assertThat(HeaderLines.annotate("grpc-message", "100%")).isNull();
  }
}
