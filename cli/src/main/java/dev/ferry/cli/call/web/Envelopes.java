package dev.ferry.cli.call.web;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a body into the frames gRPC-Web and Connect's streams share: a flag byte, a 4-byte
 * big-endian length, the payload. Holds an unfinished frame until the rest of it arrives.
 */
final class Envelopes {
  static final int PREFIX = 5;

  /** One frame: its flag byte and its payload. */
  record Frame(int flags, byte[] payload) {}

  /** A frame announced larger than the call accepts; nothing of it is kept. */
  static final class TooLarge extends Exception {
    final long length;

    TooLarge(long length) {
      super(null, null, false, false);
      this.length = length;
    }
  }

  private final ByteBuf pending = Unpooled.buffer();
  private final int maxPayload;

  Envelopes(int maxPayload) {
    this.maxPayload = maxPayload;
  }

  /** The frames that {@code data} completes (the caller keeps owning {@code data}). */
  List<Frame> add(ByteBuf data) throws TooLarge {
    pending.writeBytes(data, data.readerIndex(), data.readableBytes());
    List<Frame> frames = new ArrayList<>();
    while (pending.readableBytes() >= PREFIX) {
      long length = pending.getUnsignedInt(pending.readerIndex() + 1);
      if (length > maxPayload) {
        throw new TooLarge(length);
      }
      if (pending.readableBytes() < PREFIX + length) {
        break;
      }
      int flags = pending.readUnsignedByte();
      pending.skipBytes(4);
      byte[] payload = new byte[(int) length];
      pending.readBytes(payload);
      frames.add(new Frame(flags, payload));
    }
    pending.discardReadBytes();
    return frames;
  }

  /** Whether part of a frame is held: a body that ends now ends in mid-frame. */
  boolean hasPartialFrame() {
    return pending.isReadable();
  }

  /** {@code payload} behind its prefix. */
  static byte[] frame(int flags, byte[] payload) {
    byte[] out = new byte[PREFIX + payload.length];
    out[0] = (byte) flags;
    out[1] = (byte) (payload.length >>> 24);
    out[2] = (byte) (payload.length >>> 16);
    out[3] = (byte) (payload.length >>> 8);
    out[4] = (byte) payload.length;
    System.arraycopy(payload, 0, out, PREFIX, payload.length);
    return out;
  }
}
