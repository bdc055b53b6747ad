package dev.ferry.proxy.limits;

import io.netty.buffer.ByteBuf;

/**
 * Follows the gRPC length prefixes (RFC-like framing: 1 flag byte, 4 bytes big-endian length) of a
 * request body as it passes, without copying or consuming it, and says when a message announces
 * more than the limit: the proxy refuses it before forwarding any of it, as gRPC servers answer
 * RESOURCE_EXHAUSTED themselves.
 */
public final class GrpcMessageSizeCheck {
  private static final int PREFIX = 5;

  private final int maxBytes;
  private int prefixRead;
  private long length;
  private long remaining;
  private long largest = -1;

  public GrpcMessageSizeCheck(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Reads {@code data}'s prefixes (its indexes unchanged); whether a message is too large. */
  public boolean exceeds(ByteBuf data) {
    int i = data.readerIndex();
    int end = data.writerIndex();
    while (i < end) {
      if (remaining > 0) {
        long skip = Math.min(remaining, end - i);
        remaining -= skip;
        i += (int) skip;
        continue;
      }
      int b = data.getUnsignedByte(i++);
      if (prefixRead > 0) {
        length = (length << 8) | b;
      }
      if (++prefixRead == PREFIX) {
        if (length > maxBytes) {
          largest = length;
          return true;
        }
        remaining = length;
        prefixRead = 0;
        length = 0;
      }
    }
    return false;
  }

  /** The announced size of the message that was too large. */
  public long offendingSize() {
    return largest;
  }

  public int maxBytes() {
    return maxBytes;
  }
}
