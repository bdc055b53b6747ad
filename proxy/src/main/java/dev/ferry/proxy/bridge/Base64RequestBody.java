package dev.ferry.proxy.bridge;

import dev.ferry.proxy.transport.Downstream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;

/**
 * The body of a gRPC-Web text request, decoded piece by piece as it arrives (a group of four
 * characters split between pieces waits for the rest), with the ledger that keeps flow control end
 * to end: the call acknowledges decoded bytes, and the client gets back the base64 bytes they came
 * from, once the call has acknowledged every decoded byte of that piece.
 */
final class Base64RequestBody {
  private final Downstream down;
  private final int streamId;
  private final byte[] group = new byte[4];
  private int grouped;
  // Per piece passed on, oldest first: its decoded size, then the encoded bytes it came from.
  private final ArrayDeque<int[]> pieces = new ArrayDeque<>();
  private int acknowledged;

  Base64RequestBody(Downstream down, int streamId) {
    this.down = down;
    this.streamId = streamId;
  }

  /**
   * {@code text} (released) decoded: the bytes to pass on, owned by the caller, or {@code null}
   * when {@code text} is not base64.
   */
  ByteBuf decode(ByteBuf text) {
    int encoded = text.readableBytes();
    ByteBuf out = ByteBufAllocator.DEFAULT.buffer((grouped + encoded) / 4 * 3 + 3);
    boolean valid = true;
    try {
      while (text.isReadable() && valid) {
        byte c = text.readByte();
        if (c == '\r' || c == '\n' || c == ' ' || c == '\t') {
          // Line breaks between groups, as `base64` writes them: no client means them as data.
          continue;
        }
        group[grouped++] = c;
        if (grouped == 4) {
          valid = Base64Text.decodeGroups(group, 4, out);
          grouped = 0;
        }
      }
    } finally {
      text.release();
    }
    if (!valid) {
      out.release();
      return null;
    }
    if (out.isReadable()) {
      pieces.add(new int[] {out.readableBytes(), encoded});
    } else if (encoded > 0) {
      down.consume(streamId, encoded); // nothing to pass on, so nothing to wait for
    }
    return out;
  }

  /** Whether the body so far ends inside a group of four characters. */
  boolean inGroup() {
    return grouped != 0;
  }

  /** The call acknowledged {@code bytes} decoded bytes. */
  void consumed(int bytes) {
    acknowledged += bytes;
    int[] head;
    while ((head = pieces.peek()) != null && head[0] <= acknowledged) {
      acknowledged -= head[0];
      pieces.poll();
      down.consume(streamId, head[1]);
    }
  }
}
