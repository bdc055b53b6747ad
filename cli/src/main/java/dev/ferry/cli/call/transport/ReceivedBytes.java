package dev.ferry.cli.call.transport;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The first bytes that a channel's latest connection received, so that a failed call can say what
 * answered when it was not HTTP/2 (an HTTP/1.x status line, an error page): grpc-java keeps five.
 */
public final class ReceivedBytes {
  /** Enough for a status line, or the first lines of an error page. */
  static final int KEPT = 1024;

  private byte[] bytes = new byte[0];

  /** A new connection: what an earlier one received no longer tells about this one. */
  synchronized void connectionOpened() {
    bytes = new byte[0];
  }

  /** Whether the next bytes read are still among the first ones, cheap for the read loop. */
  synchronized boolean wanted() {
    return bytes.length < KEPT;
  }

  synchronized void received(ByteBuf buf, int from, int length) {
    int take = Math.min(length, KEPT - bytes.length);
    if (take <= 0) {
      return;
    }
    byte[] more = Arrays.copyOf(bytes, bytes.length + take);
    buf.getBytes(from, more, bytes.length, take);
    bytes = more;
  }

  /** A copy of what the latest connection received first; empty when nothing came. */
  public synchronized byte[] first() {
    return bytes.clone();
  }
}
