package dev.ferry.proxy.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class GrpcHealthMessagesTest {
  @Test
  void request_forTheWholeServer_isAnEmptyMessage() {
    ByteBuf b = GrpcHealthMessages.request(UnpooledByteBufAllocator.DEFAULT, "");
    assertThat(ByteBufUtil.hexDump(b)).isEqualTo("0000000000");
    b.release();
  }

  @Test
  void request_namesTheServiceInField1() {
    ByteBuf b = GrpcHealthMessages.request(UnpooledByteBufAllocator.DEFAULT, "a.B");
    // frame: uncompressed, length 5; field 1 (0x0a), length 3, "a.B"
    assertThat(ByteBufUtil.hexDump(b)).isEqualTo("00000000050a03612e42");
    b.release();
  }

  @Test
  void response_statusIsReadFromField1_absentMeansUnknown() {
    assertThat(GrpcHealthMessages.status(bytes("0801"))).isEqualTo(1);
    assertThat(GrpcHealthMessages.status(bytes("0802"))).isEqualTo(2);
    assertThat(GrpcHealthMessages.status(bytes(""))).isZero();
  }

  @Test
  void response_truncatedOrMissing_isMalformed() {
    assertThat(GrpcHealthMessages.status(bytes("08"))).isEqualTo(GrpcHealthMessages.MALFORMED);
    assertThat(GrpcHealthMessages.status(bytes("0a05"))).isEqualTo(GrpcHealthMessages.MALFORMED);
    assertThat(GrpcHealthMessages.status(null)).isEqualTo(GrpcHealthMessages.MALFORMED);
  }

  private static byte[] bytes(String hex) {
    return ByteBufUtil.decodeHexDump(hex);
  }
}
