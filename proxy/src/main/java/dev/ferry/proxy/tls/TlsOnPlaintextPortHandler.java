package dev.ferry.proxy.tls;

import dev.ferry.proxy.connectionlog.ConnectionEvent;
import dev.ferry.proxy.connectionlog.ConnectionLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Stands first on a plaintext listener and closes a connection that starts with a TLS handshake
 * record, with one line in the connection log: a client configured for TLS against a plaintext
 * port, which HTTP could only answer with bytes the client cannot read. Anything else passes on
 * untouched after a look at its first byte.
 */
public final class TlsOnPlaintextPortHandler extends ByteToMessageDecoder {
  /** A TLS record of type handshake (RFC 8446 5.1)... */
  private static final byte HANDSHAKE_RECORD = 0x16;

  /** ...whose legacy version's major byte is 3 (SSL 3.0 up to TLS 1.3). */
  private static final byte VERSION_MAJOR = 0x03;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int start = in.readerIndex();
    if (in.getByte(start) != HANDSHAKE_RECORD) {
      ctx.pipeline().remove(this);
      return;
    }
    if (in.readableBytes() < 2) {
      return;
    }
    if (in.getByte(start + 1) != VERSION_MAJOR) {
      ctx.pipeline().remove(this);
      return;
    }
    in.skipBytes(in.readableBytes());
    ConnectionLog.report(
        ctx.channel(),
        ConnectionEvent.TLS_ON_PLAINTEXT_PORT,
        "the client spoke TLS to a plaintext port (a TLS ClientHello): closed");
    ctx.close();
  }
}
