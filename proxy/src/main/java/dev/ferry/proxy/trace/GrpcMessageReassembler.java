package dev.ferry.proxy.trace;

import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * Cuts one direction of one stream into gRPC's length-prefixed messages (a flag byte, a 4-byte
 * length, the message), however the DATA frames split them. Keeps at most {@code maxKeptBytes} of
 * each message, so a huge message costs bounded memory; the rest is counted and dropped.
 */
final class GrpcMessageReassembler {
  private static final int PREFIX_LENGTH = 5;

  /**
   * One whole message.
   *
   * @param compressed the flag byte said the message is compressed
   * @param length the message's length on the wire, without its prefix
   * @param kept the first bytes of the message, all of them unless {@link #truncated}
   */
  record Message(boolean compressed, long length, byte[] kept) {
    boolean truncated() {
      return kept.length < length;
    }
  }

  private final int maxKeptBytes;
  private final byte[] prefix = new byte[PREFIX_LENGTH];
  private int prefixFilled;
  private byte[] kept;
  private int keptFilled;
  private long remaining;

  GrpcMessageReassembler(int maxKeptBytes) {
    this.maxKeptBytes = maxKeptBytes;
  }

  /** Reads {@code data} (without consuming it) and reports each message it completes. */
  void add(ByteBuf data, Consumer<Message> messages) {
    int at = data.readerIndex();
    int end = data.writerIndex();
    while (at < end) {
      if (kept == null) {
        int n = Math.min(PREFIX_LENGTH - prefixFilled, end - at);
        data.getBytes(at, prefix, prefixFilled, n);
        prefixFilled += n;
        at += n;
        if (prefixFilled < PREFIX_LENGTH) {
          return;
        }
        remaining =
            ((prefix[1] & 0xffL) << 24)
                | ((prefix[2] & 0xff) << 16)
                | ((prefix[3] & 0xff) << 8)
                | (prefix[4] & 0xff);
        kept = new byte[(int) Math.min(remaining, maxKeptBytes)];
        keptFilled = 0;
      }
      int take = (int) Math.min(remaining, end - at);
      int keep = Math.min(take, kept.length - keptFilled);
      data.getBytes(at, kept, keptFilled, keep);
      keptFilled += keep;
      at += take;
      remaining -= take;
      if (remaining == 0) {
        long length =
            ((prefix[1] & 0xffL) << 24)
                | ((prefix[2] & 0xff) << 16)
                | ((prefix[3] & 0xff) << 8)
                | (prefix[4] & 0xff);
        Message m = new Message(prefix[0] != 0, length, kept);
        kept = null;
        prefixFilled = 0;
        messages.accept(m);
      }
    }
  }

  /** Bytes of a message begun and not finished: the stream ended in the middle of a message. */
  boolean hasPartialMessage() {
    return prefixFilled > 0;
  }

  /** The announced length of the message in progress. */
  long partialLength() {
    return kept == null ? -1 : keptFilled + remaining;
  }
}
