package dev.ferry.proxy.transport;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;

/**
 * A request body that a bridge needs whole before the call can have it (JSON to convert into a
 * message): kept as it arrives, up to a bound, each piece acknowledged to the client at once, so
 * the bound and not flow control limits what is held.
 */
public final class HeldBody {
  private final Downstream down;
  private final int streamId;
  private final int maxBytes;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  public HeldBody(Downstream down, int streamId, int maxBytes) {
    this.down = down;
    this.streamId = streamId;
    this.maxBytes = maxBytes;
  }

  /**
   * Takes {@code data} (released and acknowledged whatever happens): kept when {@code keep}, else
   * dropped. False when keeping it would pass the bound; what was kept is then dropped too.
   */
  public boolean add(ByteBuf data, boolean keep) {
    int n = data.readableBytes();
    try {
      if (!keep) {
        return true;
      }
      if (bytes.size() + n > maxBytes) {
        bytes.reset();
        return false;
      }
      data.getBytes(data.readerIndex(), bytes, n);
      return true;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e); // a ByteArrayOutputStream does not fail
    } finally {
      data.release();
      down.consume(streamId, n);
    }
  }

  /** Keeps {@code b}, a body that came another way (a Connect GET's query). */
  public void add(byte[] b) {
    bytes.writeBytes(b);
  }

  /** The body so far; what is held is let go. */
  public byte[] take() {
    byte[] b = bytes.toByteArray();
    bytes.reset();
    return b;
  }

  /** Lets go of what is held. */
  public void drop() {
    bytes.reset();
  }

  /** The bound, in bytes. */
  public int maxBytes() {
    return maxBytes;
  }
}
