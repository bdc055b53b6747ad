package dev.ferry.proxy.grpc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes a protobuf message field by field in its wire format, without a schema. */
public final class ProtoWireWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Writes field {@code number} as a varint (int32, int64, uint, bool, enum). */
  public ProtoWireWriter varintField(int number, long value) {
    writeVarint((long) number << 3 | ProtoWireReader.VARINT);
    writeVarint(value);
    return this;
  }

  /** Writes field {@code number} as length-delimited bytes (bytes, or an embedded message). */
  public ProtoWireWriter bytesField(int number, byte[] value) {
    writeVarint((long) number << 3 | ProtoWireReader.LENGTH_DELIMITED);
    writeVarint(value.length);
    out.writeBytes(value);
    return this;
  }

  /** Writes field {@code number} as a UTF-8 string. */
  public ProtoWireWriter stringField(int number, String value) {
    return bytesField(number, value.getBytes(StandardCharsets.UTF_8));
  }

  /** The message written so far. */
  public byte[] toByteArray() {
    return out.toByteArray();
  }

  private void writeVarint(long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
