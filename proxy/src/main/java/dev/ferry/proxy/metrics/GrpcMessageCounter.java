package dev.ferry.proxy.metrics;

import io.netty.buffer.ByteBuf;

/**
 * Counts the gRPC messages in one direction of one call as its bytes pass, without copying or
 * consuming them: it reads each message's 5-byte prefix and skips the body, so a buffer costs a few
 * byte reads per message whatever its size.
 */
public final class GrpcMessageCounter {
  private long messages;
  private int prefixLeft = 5;
  private long length;
  private long bodyLeft;

  /**
   * Counts the messages that start in {@code data}'s readable bytes; its indexes stay as they are.
   */
  public void add(ByteBuf data) {
    int i = data.readerIndex();
    int end = data.writerIndex();
    while (i < end) {
      if (bodyLeft > 0) {
        int skip = (int) Math.min(bodyLeft, end - i);
        bodyLeft -= skip;
        i += skip;
        continue;
      }
      byte b = data.getByte(i++);
      if (prefixLeft < 5) {
        length = (length << 8) | (b & 0xff); // the 4-byte big-endian length after the flag byte
      }
      if (--prefixLeft == 0) {
        messages++;
        bodyLeft = length;
        length = 0;
        prefixLeft = 5;
      }
    }
  }

  /** Messages whose prefix has passed so far. */
  public long messages() {
    return messages;
  }
}
