package dev.ferry.proxy.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The hand-written reader and writer against protobuf-java's own encoding. */
class ProtoWireTest {
  private static final long[] VARINTS = {
    0, 1, 127, 128, 300, 16_383, 16_384, Integer.MAX_VALUE, 1L << 35, Long.MAX_VALUE, -1
  };

  @Test
  void writer_encodesAsProtobufJavaDoes() throws Exception {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(expected);
    ProtoWireWriter w = new ProtoWireWriter();
    for (int i = 0; i < VARINTS.length; i++) {
      out.writeUInt64(i + 1, VARINTS[i]);
      w.varintField(i + 1, VARINTS[i]);
    }
    out.writeString(20, "héllo");
    w.stringField(20, "héllo");
    out.writeByteArray(536_870_911, new byte[300]);
    w.bytesField(536_870_911, new byte[300]);
    out.flush();
    assertThat(w.toByteArray()).isEqualTo(expected.toByteArray());
  }

  @Test
  void reader_readsEveryWireTypeProtobufJavaWrites() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (int i = 0; i < VARINTS.length; i++) {
      out.writeUInt64(i + 1, VARINTS[i]);
    }
    out.writeFixed64(30, 0x0102030405060708L);
    out.writeFixed32(31, 0xfffffffe);
    out.writeString(32, "héllo");
    out.writeByteArray(33, new ProtoWireWriter().stringField(1, "inner").toByteArray());
    out.flush();

    ProtoWireReader r = new ProtoWireReader(bytes.toByteArray());
    for (int i = 0; i < VARINTS.length; i++) {
      assertThat(r.nextField()).isTrue();
      assertThat(r.is(i + 1, ProtoWireReader.VARINT)).isTrue();
      assertThat(r.readVarint()).isEqualTo(VARINTS[i]);
    }
    assertThat(r.nextField()).isTrue();
    assertThat(r.is(30, ProtoWireReader.FIXED64)).isTrue();
    assertThat(r.readFixed64()).isEqualTo(0x0102030405060708L);
    assertThat(r.nextField()).isTrue();
    assertThat(r.is(31, ProtoWireReader.FIXED32)).isTrue();
    assertThat(r.readFixed32()).isEqualTo(0xfffffffeL);
    assertThat(r.nextField()).isTrue();
    assertThat(r.readString()).isEqualTo("héllo");
    assertThat(r.nextField()).isTrue();
    ProtoWireReader inner = r.readMessage();
    assertThat(inner.nextField()).isTrue();
    assertThat(inner.is(1, ProtoWireReader.LENGTH_DELIMITED)).isTrue();
    assertThat(inner.readString()).isEqualTo("inner");
    assertThat(inner.nextField()).isFalse();
    assertThat(r.nextField()).isFalse();
  }

  @Test
  void skipField_passesOverEachWireType() {
    // 1: varint 300, 2: fixed64, 3: "ab", 4: fixed32
    ProtoWireReader r =
        new ProtoWireReader(
            ByteBufUtil.decodeHexDump("08ac02" + "110102030405060708" + "1a026162" + "2501020304"));
    for (int i = 0; i < 4; i++) {
      assertThat(r.nextField()).isTrue();
      r.skipField();
    }
    assertThat(r.nextField()).isFalse();
  }

  @Test
  void malformedInput_throws() {
    assertMalformed("08", "truncated varint"); // a key and no value
    assertMalformed("0a05610a", "length 5 past the end");
    assertMalformed("0f", "wire type 7");
    assertMalformed("0b", "wire type 3"); // a group
    assertMalformed("00", "field number 0");
    assertMalformed("1101020304", "field past the end");
    assertMalformed("08ffffffffffffffffffff01", "varint too long");
  }

  private static void assertMalformed(String hex, String why) {
    ProtoWireReader r = new ProtoWireReader(ByteBufUtil.decodeHexDump(hex));
    assertThatThrownBy(
            () -> {
              while (r.nextField()) {
                r.skipField();
              }
            })
        .as(hex)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(why);
  }
}
