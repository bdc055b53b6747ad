package dev.ferry.proxy.reflection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Arrays;

/**
 * Cuts a gRPC body into its messages (a flag byte, a 4-byte length, the message), for the proxy's
 * own reflection calls. Copies: reflection is rare and its messages small, and a copy frees the
 * buffers at once.
 */
final class GrpcMessageReader {
  /** Larger than any file descriptor set a reflection answer carries. */
  static final int MAX_MESSAGE = 16 << 20;

  private byte[] buf = new byte[512];
  private int length;

  /** Appends {@code data}'s readable bytes; the caller still owns {@code data}. */
  void add(ByteBuf data) {
    int n = data.readableBytes();
    if (length + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + n));
    }
    data.readBytes(buf, length, n);
    length += n;
  }

  /** The next whole message, or {@code null} until one is complete. */
  byte[] next() {
    if (length < 5) {
      return null;
    }
    if (buf[0] != 0) {
      throw new IllegalArgumentException("compressed message (no grpc-encoding was offered)");
    }
    int size =
        ((buf[1] & 0xff) << 24)
            | ((buf[2] & 0xff) << 16)
            | ((buf[3] & 0xff) << 8)
            | (buf[4] & 0xff);
    if (size < 0 || size > MAX_MESSAGE) {
      throw new IllegalArgumentException("message of " + size + " bytes");
    }
    if (length < 5 + size) {
      return null;
    }
    byte[] msg = Arrays.copyOfRange(buf, 5, 5 + size);
    System.arraycopy(buf, 5 + size, buf, 0, length - 5 - size);
    length -= 5 + size;
    return msg;
  }

  boolean isEmpty() {
    return length == 0;
  }

  /** {@code msg} as one uncompressed gRPC message frame. */
  static ByteBuf frame(ByteBufAllocator alloc, byte[] msg) {
    return alloc.buffer(5 + msg.length).writeByte(0).writeInt(msg.length).writeBytes(msg);
  }
}
