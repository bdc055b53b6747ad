package dev.ferry.proxy.grpc;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;

/**
 * Cuts a gRPC body into whole messages, for the proxy's own small calls (reflection, health
 * checks). Copies each message out: such calls are rare and their messages small, and a copy lets
 * the caller release every buffer at once.
 */
public final class GrpcMessageReader {
  private final int maxBytes;
  private final ArrayDeque<byte[]> whole = new ArrayDeque<>();
  private final GrpcMessageScanner scanner = new GrpcMessageScanner(new Collector());
  private byte[] current;
  private int filled;
  private String unreadable;

  /** A reader that refuses messages over {@code maxBytes}. */
  public GrpcMessageReader(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Reads {@code data}'s readable bytes; its indexes stay as they are, the caller owns it. */
  public void add(ByteBuf data) {
    scanner.scan(data);
  }

  /**
   * The next whole message, or {@code null} until one is complete.
   *
   * @throws IllegalArgumentException the next message is compressed or over the limit
   */
  public byte[] next() {
    byte[] m = whole.poll();
    if (m == null && unreadable != null) {
      throw new IllegalArgumentException(unreadable);
    }
    return m;
  }

  /** Whether every byte added so far was returned by {@link #next()}. */
  public boolean isEmpty() {
    return whole.isEmpty() && unreadable == null && !scanner.inMessage();
  }

  /** Copies each message's bytes into an array of its own. */
  private final class Collector implements GrpcMessageScanner.Listener {
    @Override
    public boolean onMessageStart(boolean compressed, long length) {
      if (compressed) {
        unreadable = "compressed message (no grpc-encoding was offered)";
        return false;
      }
      if (length > maxBytes) {
        unreadable = "message of " + length + " bytes";
        return false;
      }
      current = new byte[(int) length];
      filled = 0;
      return true;
    }

    @Override
    public void onMessageBytes(ByteBuf data, int index, int length) {
      data.getBytes(index, current, filled, length);
      filled += length;
    }

    @Override
    public void onMessageEnd() {
      whole.add(current);
      current = null;
    }
  }
}
