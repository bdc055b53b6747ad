package dev.ferry.proxy.grpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Writes one message as gRPC frames it on the wire: uncompressed, behind its 5-byte prefix. */
public final class GrpcMessageFrame {
  private GrpcMessageFrame() {}

  /** {@code message} behind its prefix, in a new buffer the caller owns. */
  public static ByteBuf of(ByteBufAllocator alloc, byte[] message) {
    return alloc
        .buffer(GrpcMessageScanner.PREFIX_LENGTH + message.length)
        .writeByte(0)
        .writeInt(message.length)
        .writeBytes(message);
  }
}
