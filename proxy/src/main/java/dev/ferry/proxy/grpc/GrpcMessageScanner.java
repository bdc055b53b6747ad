package dev.ferry.proxy.grpc;

import io.netty.buffer.ByteBuf;

/**
 * Follows gRPC's length-prefixed messages (a flag byte, a 4-byte big-endian length, the message)
 * through one direction of a body however its DATA frames split them, and tells a {@link Listener}
 * where each message starts, what bytes it holds and where it ends, and counts the messages. It
 * reads the buffers in place: it neither copies, consumes nor releases them, and allocates nothing
 * as it goes.
 */
public final class GrpcMessageScanner {
  /** The flag byte and the 4-byte length in front of every message. */
  public static final int PREFIX_LENGTH = 5;

  /** What a scanner reports, in the order the bytes pass. */
  public interface Listener {
    /**
     * A message's prefix has passed.
     *
     * @param compressed the flag byte says the message is compressed
     * @param length the message's length without its prefix (up to 2^32 - 1)
     * @return whether to go on; {@code false} stops the scanner for good, at this prefix
     */
    boolean onMessageStart(boolean compressed, long length);

    /**
     * A message's prefix has passed, with its whole flag byte, for a reader that needs more than
     * the compressed bit: gRPC-Web marks its trailer frame with bit 7 (0x80).
     */
    default boolean onMessageStart(int flags, long length) {
      return onMessageStart(flags != 0, length);
    }

    /**
     * {@code length} of the current message's bytes, at {@code index} of {@code data}: to read
     * there, not to keep or release.
     */
    default void onMessageBytes(ByteBuf data, int index, int length) {}

    /** The current message's last byte has passed (at once, for an empty message). */
    default void onMessageEnd() {}
  }

  /** For a scanner that only counts messages: there is nothing to hear, and it never stops. */
  public static final Listener COUNT_ONLY = (compressed, length) -> true;

  private final Listener listener;
  private int prefixRead;
  private int flags;
  private long length;
  private long bodyLeft;
  private boolean stopped;
  private long messages;

  public GrpcMessageScanner(Listener listener) {
    this.listener = listener;
  }

  /** Follows {@code data}'s readable bytes; its indexes stay as they are, the caller owns it. */
  public void scan(ByteBuf data) {
    int i = data.readerIndex();
    int end = data.writerIndex();
    while (i < end && !stopped) {
      if (bodyLeft > 0) {
        int n = (int) Math.min(bodyLeft, end - i);
        bodyLeft -= n;
        listener.onMessageBytes(data, i, n);
        i += n;
        if (bodyLeft == 0) {
          listener.onMessageEnd();
        }
      } else if (prefixRead == 0 && end - i >= PREFIX_LENGTH) {
        // The usual case, a whole prefix in one buffer: read it at once.
        startMessage(data.getUnsignedByte(i), data.getUnsignedInt(i + 1));
        i += PREFIX_LENGTH;
      } else {
        int b = data.getUnsignedByte(i++);
        if (prefixRead == 0) {
          flags = b;
          length = 0;
        } else {
          length = (length << 8) | b;
        }
        if (++prefixRead == PREFIX_LENGTH) {
          prefixRead = 0;
          startMessage(flags, length);
        }
      }
    }
  }

  private void startMessage(int flagByte, long size) {
    messages++;
    if (!listener.onMessageStart(flagByte, size)) {
      stopped = true;
    } else if (size == 0) {
      listener.onMessageEnd();
    } else {
      bodyLeft = size;
    }
  }

  /** Whether a message has begun and not ended: a body that ends now ends in mid-message. */
  public boolean inMessage() {
    return prefixRead > 0 || bodyLeft > 0;
  }

  /** Messages whose prefix has passed so far, the one that stopped the scanner included. */
  public long messages() {
    return messages;
  }
}
