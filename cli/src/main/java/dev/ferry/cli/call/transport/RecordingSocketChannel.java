package dev.ferry.cli.call.transport;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;

/**
 * A client socket channel that hands the first bytes it reads to a {@link ReceivedBytes}, below
 * grpc-java's HTTP/2 handler, which would see them only to reject them.
 */
final class RecordingSocketChannel extends NioSocketChannel {
  private final ReceivedBytes received;

  RecordingSocketChannel(ReceivedBytes received) {
    this.received = received;
    received.connectionOpened();
  }

  @Override
  protected int doReadBytes(ByteBuf buf) throws Exception {
    int from = buf.writerIndex();
    int read = super.doReadBytes(buf);
    if (read > 0 && received.wanted()) {
      received.received(buf, from, read);
    }
    return read;
  }
}
