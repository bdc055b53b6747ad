package dev.ferry.proxy.grpc;

import java.nio.charset.StandardCharsets;

/**
 * Reads protobuf's wire format field by field from a slice of bytes, without a schema: each field's
 * number and wire type, then its value or a skip. Malformed input (a truncated value, a length past
 * the end, field number 0, the deprecated group wire types) throws {@link
 * IllegalArgumentException}.
 */
public final class ProtoWireReader {
  public static final int VARINT = 0;
  public static final int FIXED64 = 1;
  public static final int LENGTH_DELIMITED = 2;
  public static final int FIXED32 = 5;

  /** The largest field number protobuf allows, 2^29 - 1. */
  private static final long MAX_FIELD_NUMBER = (1L << 29) - 1;

  private final byte[] bytes;
  private final int end;
  private int pos;
  private int fieldNumber;
  private int wireType;

  /** A reader of all of {@code message}. */
  public ProtoWireReader(byte[] message) {
    this(message, 0, message.length);
  }

  private ProtoWireReader(byte[] bytes, int from, int to) {
    this.bytes = bytes;
    this.pos = from;
    this.end = to;
  }

  /** Reads the next field's key; {@code false} at the end of the message. */
  public boolean nextField() {
    if (pos >= end) {
      return false;
    }
    long key = readVarint();
    long number = key >>> 3;
    if (number == 0 || number > MAX_FIELD_NUMBER) {
      throw new IllegalArgumentException("field number " + number);
    }
    int type = (int) (key & 7);
    if (type != VARINT && type != FIXED64 && type != LENGTH_DELIMITED && type != FIXED32) {
      throw new IllegalArgumentException("wire type " + type);
    }
    fieldNumber = (int) number;
    wireType = type;
    return true;
  }

  /** The number of the field {@link #nextField()} read. */
  public int fieldNumber() {
    return fieldNumber;
  }

  /** The wire type of the field {@link #nextField()} read. */
  public int wireType() {
    return wireType;
  }

  /** Whether the current field is number {@code number} with wire type {@code wireType}. */
  public boolean is(int number, int wireType) {
    return fieldNumber == number && this.wireType == wireType;
  }

  /** A varint (wire type 0, and the keys and lengths of every field). */
  public long readVarint() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw new IllegalArgumentException("truncated varint");
      }
      byte b = bytes[pos++];
      v |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("varint too long");
  }

  /** A little-endian fixed64 (wire type 1). */
  public long readFixed64() {
    return readLittleEndian(8);
  }

  /** A little-endian fixed32 (wire type 5), as an unsigned value. */
  public long readFixed32() {
    return readLittleEndian(4);
  }

  /** A length-delimited value's bytes (wire type 2), copied. */
  public byte[] readBytes() {
    int len = readLength();
    byte[] b = new byte[len];
    System.arraycopy(bytes, pos, b, 0, len);
    pos += len;
    return b;
  }

  /** A length-delimited value as UTF-8 text. */
  public String readString() {
    int len = readLength();
    String s = new String(bytes, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  /** A length-delimited value as a reader of its own fields (an embedded message). */
  public ProtoWireReader readMessage() {
    int len = readLength();
    ProtoWireReader r = new ProtoWireReader(bytes, pos, pos + len);
    pos += len;
    return r;
  }

  /** Passes over the current field's value. */
  public void skipField() {
    switch (wireType) {
      case VARINT -> readVarint();
      case FIXED64 -> skip(8);
      case FIXED32 -> skip(4);
      default -> skip(readLength());
    }
  }

  private long readLittleEndian(int n) {
    checkLeft(n);
    long v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = (v << 8) | (bytes[pos + i] & 0xff);
    }
    pos += n;
    return v;
  }

  private int readLength() {
    long len = readVarint();
    if (len < 0 || len > end - pos) {
      throw new IllegalArgumentException("length " + len + " past the end");
    }
    return (int) len;
  }

  private void skip(int n) {
    checkLeft(n);
    pos += n;
  }

  private void checkLeft(int n) {
    if (n > end - pos) {
      throw new IllegalArgumentException("field past the end");
    }
  }
}
