package dev.ferry.proxy.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Arrays;

/**
 * Base64 (RFC 4648, standard alphabet) the way gRPC-Web's text protocol uses it: each piece of a
 * response encoded on its own, padding included, and a request decoded in 4-character groups each
 * of which may end in padding, since a client may flush (and pad) wherever it likes.
 */
final class Base64Text {
  private static final byte[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte PAD = -2;
  private static final byte INVALID = -1;
  private static final byte[] VALUES = new byte[256];

  static {
    Arrays.fill(VALUES, INVALID);
    for (int i = 0; i < ALPHABET.length; i++) {
      VALUES[ALPHABET[i]] = (byte) i;
    }
    VALUES['='] = PAD;
  }

  private Base64Text() {}

  /** {@code data} (released) as padded base64; the caller owns the result. */
  static ByteBuf encode(ByteBuf data) {
    try {
      int n = data.readableBytes();
      ByteBuf out = ByteBufAllocator.DEFAULT.buffer((n + 2) / 3 * 4);
      int i = data.readerIndex();
      int end = i + n;
      for (; i + 3 <= end; i += 3) {
        int b =
            (data.getUnsignedByte(i) << 16)
                | (data.getUnsignedByte(i + 1) << 8)
                | data.getUnsignedByte(i + 2);
        out.writeByte(ALPHABET[b >>> 18])
            .writeByte(ALPHABET[(b >>> 12) & 63])
            .writeByte(ALPHABET[(b >>> 6) & 63])
            .writeByte(ALPHABET[b & 63]);
      }
      int left = end - i;
      if (left > 0) {
        int b = data.getUnsignedByte(i) << 16 | (left == 2 ? data.getUnsignedByte(i + 1) << 8 : 0);
        out.writeByte(ALPHABET[b >>> 18]).writeByte(ALPHABET[(b >>> 12) & 63]);
        out.writeByte(left == 2 ? ALPHABET[(b >>> 6) & 63] : '=').writeByte('=');
      }
      return out;
    } finally {
      data.release();
    }
  }

  /**
   * Decodes whole 4-character groups of {@code group} ({@code length} characters, a multiple of 4)
   * into {@code out}; returns false at a character outside the alphabet or misplaced padding.
   */
  static boolean decodeGroups(byte[] group, int length, ByteBuf out) {
    for (int i = 0; i < length; i += 4) {
      int a = VALUES[group[i] & 0xff];
      int b = VALUES[group[i + 1] & 0xff];
      int c = VALUES[group[i + 2] & 0xff];
      int d = VALUES[group[i + 3] & 0xff];
      if (a < 0 || b < 0 || c == INVALID || d == INVALID || (c == PAD && d != PAD)) {
        return false;
      }
      out.writeByte((a << 2) | (b >>> 4));
      if (c != PAD) {
        out.writeByte(((b & 15) << 4) | (c >>> 2));
        if (d != PAD) {
          out.writeByte(((c & 3) << 6) | d);
        }
      }
    }
    return true;
  }
}
