package dev.ferry.proxy.trace;

import dev.ferry.proxy.grpc.GrpcMessageScanner;
import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * Cuts one direction of one stream into gRPC's length-prefixed messages, however the DATA frames
 * split them. Keeps at most {@code maxKeptBytes} of each message, so a huge message costs bounded
 * memory; the rest is counted and dropped.
 */
final class GrpcMessageReassembler {
  /**
   * One whole message.
   *
   * @param flags the flag byte: 1 says the message is compressed, 0x80 that it is gRPC-Web's
   *     trailer frame
   * @param length the message's length on the wire, without its prefix
   * @param kept the first bytes of the message, all of them unless {@link #truncated}
   */
  record Message(int flags, long length, byte[] kept) {
    static final int TRAILER_FRAME = 0x80;

    boolean compressed() {
      return (flags & 1) != 0;
    }

    boolean isWebTrailers() {
      return (flags & TRAILER_FRAME) != 0;
    }

    boolean truncated() {
      return kept.length < length;
    }
  }

  private final int maxKeptBytes;
  private final GrpcMessageScanner scanner = new GrpcMessageScanner(new Keeper());
  private Consumer<Message> messages;
  private int flags;
  private long length;
  private byte[] kept;
  private int keptFilled;

  GrpcMessageReassembler(int maxKeptBytes) {
    this.maxKeptBytes = maxKeptBytes;
  }

  /** Reads {@code data} (without consuming it) and reports each message it completes. */
  void add(ByteBuf data, Consumer<Message> messages) {
    this.messages = messages;
    scanner.scan(data);
  }

  /** Bytes of a message begun and not finished: the stream ended in the middle of a message. */
  boolean hasPartialMessage() {
    return scanner.inMessage();
  }

  /** Keeps the first bytes of each message and reports it when it ends. */
  private final class Keeper implements GrpcMessageScanner.Listener {
    @Override
    public boolean onMessageStart(boolean compressed, long length) {
      return onMessageStart(compressed ? 1 : 0, length);
    }

    @Override
    public boolean onMessageStart(int flags, long length) {
      GrpcMessageReassembler.this.flags = flags;
      GrpcMessageReassembler.this.length = length;
      kept = new byte[(int) Math.min(length, maxKeptBytes)];
      keptFilled = 0;
      return true;
    }

    @Override
    public void onMessageBytes(ByteBuf data, int index, int length) {
      int keep = Math.min(length, kept.length - keptFilled);
      data.getBytes(index, kept, keptFilled, keep);
      keptFilled += keep;
    }

    @Override
    public void onMessageEnd() {
      messages.accept(new Message(flags, length, kept));
    }
  }
}
