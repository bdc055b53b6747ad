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
  private final GrpcMessageScanner scanner = new GrpcMessageScanner(new Keeper());
  private Consumer<Message> messages;
  private boolean compressed;
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
      GrpcMessageReassembler.this.compressed = compressed;
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
      messages.accept(new Message(compressed, length, kept));
    }
  }
}
