package dev.ferry.cli.call.web;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A Connect unary answer: 200 with the message as the whole body, or an error status with a JSON
 * error as the body; trailers travel as headers named {@code trailer-…}.
 */
final class ConnectUnaryResponse extends WebResponse {
  private static final String TRAILER = "trailer-";

  private final ByteBuf body = Unpooled.buffer();
  private int httpStatus;
  private Metadata trailers = new Metadata();
  private boolean closed;

  ConnectUnaryResponse(Events events, int maxMessage) {
    super(events, maxMessage);
  }

  @Override
  void head(HttpResponse response) {
    httpStatus = response.status().code();
    trailers = HttpMetadata.from(response.headers(), TRAILER, null);
    if (httpStatus == 200) {
      events.headers(HttpMetadata.from(response.headers(), "", TRAILER));
    }
  }

  @Override
  void body(ByteBuf content) {
    if (closed) {
      return;
    }
    if (body.readableBytes() + (long) content.readableBytes() > maxMessage) {
      closed = true;
      body.release();
      events.close(tooLarge(body.readableBytes() + (long) content.readableBytes()), new Metadata());
      return;
    }
    body.writeBytes(content, content.readerIndex(), content.readableBytes());
  }

  @Override
  void end() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (httpStatus == 200) {
        byte[] message = new byte[body.readableBytes()];
        body.readBytes(message);
        events.message(message);
        events.close(Status.OK, trailers);
      } else {
        events.close(
            ConnectError.ofUnary(httpStatus, body.toString(StandardCharsets.UTF_8)), trailers);
      }
    } finally {
      body.release();
    }
  }
}
