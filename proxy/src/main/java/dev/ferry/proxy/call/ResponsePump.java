package dev.ferry.proxy.call;

import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.upstream.Upstream;
import io.netty.buffer.ByteBuf;

/**
 * The response's body on its way from the backend to the client: each piece is acknowledged to the
 * backend only once the client's connection has taken it, so a slow client costs one flow-control
 * window, not heap.
 */
final class ResponsePump {
  private final Downstream down;
  private final int downId;
  private final CallRecord record;

  ResponsePump(Downstream down, int downId, CallRecord record) {
    this.down = down;
    this.downId = downId;
    this.record = record;
  }

  /** Passes {@code data} (owned) from stream {@code id} of {@code u} to the client. */
  void forward(Upstream u, int id, ByteBuf data, boolean endStream) {
    int n = data.readableBytes();
    record.buffered(n);
    down.writeData(
        downId,
        data,
        endStream,
        f -> {
          record.buffered(-n);
          u.consume(id, n);
        });
  }

  /** Drops {@code data} (owned), which has nowhere to go, acknowledging it to the backend. */
  static void drop(Upstream u, int id, ByteBuf data) {
    int n = data.readableBytes();
    data.release();
    if (u != null) {
      u.consume(id, n);
    }
  }
}
