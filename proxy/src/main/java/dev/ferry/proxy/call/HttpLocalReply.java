package dev.ferry.proxy.call;

import dev.ferry.proxy.status.ProxyStatus;
import dev.ferry.proxy.transport.Downstream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

/** The proxy's own answers to plain HTTP requests: a status and one line of text. */
final class HttpLocalReply {
  private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain; charset=utf-8");

  private HttpLocalReply() {}

  /**
   * Writes {@code status} as an HTTP response, with {@code retry-after} (RFC 9110 10.2.3) when
   * {@code retryAfterSeconds} is positive.
   */
  static void write(Downstream down, int streamId, ProxyStatus status, long retryAfterSeconds) {
    byte[] body = (status.detail() + "\n").getBytes(StandardCharsets.UTF_8);
    Http2Headers h = new DefaultHttp2Headers(false, 4);
    h.status(AsciiString.of(Integer.toString(status.httpStatus())));
    h.set(GrpcLocalReply.CONTENT_TYPE, TEXT_PLAIN);
    h.setInt("content-length", body.length);
    h.set(GrpcLocalReply.LOCAL_REPLY, status.reason().wireName());
    if (retryAfterSeconds > 0) {
      h.setLong("retry-after", retryAfterSeconds);
    }
    down.writeHeaders(streamId, h, false);
    down.writeData(streamId, Unpooled.wrappedBuffer(body), true, f -> {});
  }
}
