package dev.ferry.proxy.connect;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Connect's streaming envelope: a flags byte, a 4-byte big-endian length, the payload. It is gRPC's
 * message frame with one more flag, end-of-stream, which marks the last envelope of a response: its
 * payload is JSON with the error and trailing metadata.
 */
final class ConnectEnvelope {
  static final int COMPRESSED = 0x01;
  static final int END_STREAM = 0x02;
  static final int PREFIX = 5;

  private ConnectEnvelope() {}

  /** An envelope of {@code payload} with {@code flags}, in a new buffer the caller owns. */
  static ByteBuf of(int flags, byte[] payload) {
    return ByteBufAllocator.DEFAULT
        .buffer(PREFIX + payload.length)
        .writeByte(flags)
        .writeInt(payload.length)
        .writeBytes(payload);
  }

  /**
   * The payloads of a whole body of envelopes (a client's request), in order.
   *
   * @throws IllegalArgumentException when the body ends inside an envelope, or one is compressed or
   *     marked end-of-stream (which only a response may send)
   */
  static List<byte[]> split(byte[] body) {
    List<byte[]> out = new ArrayList<>();
    int i = 0;
    while (i < body.length) {
      if (body.length - i < PREFIX) {
        throw new IllegalArgumentException("the body ends inside an envelope's prefix");
      }
      int flags = body[i] & 0xff;
      long length =
          ((body[i + 1] & 0xffL) << 24)
              | ((body[i + 2] & 0xff) << 16)
              | ((body[i + 3] & 0xff) << 8)
              | (body[i + 4] & 0xff);
      if (flags != 0) {
        throw new IllegalArgumentException(
            "envelope flags 0x" + Integer.toHexString(flags) + " (expected: 0, uncompressed)");
      }
      if (length > body.length - i - PREFIX) {
        throw new IllegalArgumentException(
            "an envelope of " + length + " bytes has only " + (body.length - i - PREFIX));
      }
      byte[] payload = new byte[(int) length];
      System.arraycopy(body, i + PREFIX, payload, 0, payload.length);
      out.add(payload);
      i += PREFIX + payload.length;
    }
    return out;
  }
}
