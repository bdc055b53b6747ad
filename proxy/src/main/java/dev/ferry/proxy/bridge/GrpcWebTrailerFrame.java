package dev.ferry.proxy.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * gRPC-Web's trailer frame: flag byte {@code 0x80}, a 4-byte big-endian length, then the trailers
 * as HTTP/1 header lines ({@code name:value\r\n}, names lower-case), since a browser cannot read
 * HTTP trailers.
 */
final class GrpcWebTrailerFrame {
  static final int FLAG = 0x80;

  private GrpcWebTrailerFrame() {}

  /** The frame carrying {@code trailers}; the caller owns it. */
  static ByteBuf encode(Http2Headers trailers) {
    StringBuilder lines = new StringBuilder(64);
    for (Map.Entry<CharSequence, CharSequence> e : trailers) {
      CharSequence name = e.getKey();
      if (name.length() > 0 && name.charAt(0) == ':') {
        continue;
      }
      lines.append(name).append(':').append(e.getValue()).append("\r\n");
    }
    byte[] bytes = lines.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuf frame = ByteBufAllocator.DEFAULT.buffer(5 + bytes.length);
    frame.writeByte(FLAG).writeInt(bytes.length).writeBytes(bytes);
    return frame;
  }
}
