package dev.ferry.proxy.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http2.Http2Error;
import java.nio.charset.StandardCharsets;

/** The bytes that tell a plaintext client, in its protocol, that this port requires TLS. */
final class PlaintextAnswers {
  private static final int SETTINGS = 0x4;
  private static final int GOAWAY = 0x7;

  private PlaintextAnswers() {}

  /** An HTTP/1.1 400 with a one-line body, and {@code connection: close}. */
  static ByteBuf http1(ByteBufAllocator alloc) {
    String body = PlaintextOnTlsPortHandler.MESSAGE + "\n";
    String response =
        "HTTP/1.1 400 Bad Request\r\n"
            + "content-type: text/plain; charset=utf-8\r\n"
            + "content-length: "
            + body.length()
            + "\r\n"
            + "connection: close\r\n"
            + "\r\n"
            + body;
    ByteBuf out = alloc.buffer(response.length());
    out.writeCharSequence(response, StandardCharsets.US_ASCII);
    return out;
  }

  /**
   * An empty SETTINGS (the server's preface, RFC 9113 3.4) and a GOAWAY with no stream processed,
   * PROTOCOL_ERROR, and the message as debug data (6.8), which gRPC clients show.
   */
  static ByteBuf http2(ByteBufAllocator alloc) {
    byte[] debug = PlaintextOnTlsPortHandler.MESSAGE.getBytes(StandardCharsets.US_ASCII);
    ByteBuf out = alloc.buffer(9 + 9 + 8 + debug.length);
    frameHeader(out, 0, SETTINGS);
    frameHeader(out, 8 + debug.length, GOAWAY);
    out.writeInt(0); // last stream id: none was processed
    out.writeInt((int) Http2Error.PROTOCOL_ERROR.code());
    out.writeBytes(debug);
    return out;
  }

  private static void frameHeader(ByteBuf out, int length, int type) {
    out.writeMedium(length);
    out.writeByte(type);
    out.writeByte(0); // flags
    out.writeInt(0); // stream 0: the connection
  }
}
