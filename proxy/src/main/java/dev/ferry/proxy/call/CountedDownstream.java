package dev.ferry.proxy.call;

import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.transport.ForwardingDownstream;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;

/**
 * A client connection whose response bodies a call's record counts as they are written: for answers
 * the proxy composes itself (merged reflection), which pass no {@link ResponsePump}.
 */
final class CountedDownstream extends ForwardingDownstream {
  private final CallRecord record;

  CountedDownstream(Downstream down, CallRecord record) {
    super(down);
    this.record = record;
  }

  @Override
  public void writeData(
      int streamId,
      ByteBuf data,
      boolean endStream,
      GenericFutureListener<? extends Future<? super Void>> onWritten) {
    record.responseData(data);
    down.writeData(streamId, data, endStream, onWritten);
  }
}
