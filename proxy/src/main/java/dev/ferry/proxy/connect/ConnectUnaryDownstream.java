package dev.ferry.proxy.connect;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.ferry.proxy.grpc.GrpcMessageReader;
import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.transport.Downstream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.nio.charset.StandardCharsets;

/**
 * The answer to a unary Connect call: the gRPC response is held until its trailers, since Connect
 * sends the status first (the HTTP status) and the trailers as {@code trailer-} headers; then one
 * message with its length, or an error JSON with the status Connect's table gives. A second
 * message, which a unary answer cannot carry, ends the answer at once, so nothing piles up.
 */
final class ConnectUnaryDownstream extends ConnectDownstream {
  /** Larger than any unary answer worth holding: gRPC's own default limit is 4 MiB. */
  static final int MAX_MESSAGE = 16 << 20;

  private static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");
  private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");
  private static final String TRAILER_PREFIX = "trailer-";

  private final GrpcMessageReader reader = new GrpcMessageReader(MAX_MESSAGE);
  private Http2Headers headers; // the backend's response headers, until its trailers come
  private byte[] message;
  private boolean answered;

  ConnectUnaryDownstream(Downstream down, ConnectCodec codec, boolean requestConverted) {
    super(down, codec, requestConverted);
  }

  @Override
  public void writeHeaders(int streamId, Http2Headers block, boolean endStream) {
    if (answered) {
      return;
    }
    if (!endStream) {
      headers = block;
      return;
    }
    // The trailers, or a Trailers-Only answer (ferry's own replies among them): its other headers
    // are the answer's headers.
    Http2Headers first = headers != null ? headers : block;
    Http2Headers trailers = headers != null ? block : null;
    ConnectStatus status = ConnectMetadata.status(block);
    if (status.code() != GrpcCode.OK) {
      error(streamId, status, first, trailers);
    } else if (message == null) {
      error(
          streamId,
          ConnectStatus.of(
              GrpcCode.INTERNAL, "ferry: the backend ended the call OK without a response message"),
          first,
          trailers);
    } else {
      answer(streamId, first, trailers);
    }
  }

  @Override
  public void writeData(
      int streamId,
      ByteBuf data,
      boolean endStream,
      GenericFutureListener<? extends Future<? super Void>> onWritten) {
    try {
      if (!answered) {
        reader.add(data);
        takeMessages(streamId);
      }
    } finally {
      data.release();
    }
    taken(onWritten);
  }

  private void takeMessages(int streamId) {
    byte[] m;
    try {
      while (!answered && (m = reader.next()) != null) {
        if (message == null) {
          message = m;
        } else {
          error(
              streamId,
              ConnectStatus.of(
                  GrpcCode.UNIMPLEMENTED,
                  "ferry: the method answered with more than one message: it streams its response;"
                      + " call it with content-type application/connect+"
                      + codec.wireName()),
              headers,
              null);
        }
      }
    } catch (IllegalArgumentException e) {
      error(
          streamId,
          ConnectStatus.of(
              GrpcCode.INTERNAL,
              "ferry: the backend's response cannot be passed on: " + e.getMessage()),
          headers,
          null);
    }
  }

  private void answer(int streamId, Http2Headers first, Http2Headers trailers) {
    byte[] body;
    if (codec == ConnectCodec.JSON) {
      try {
        body = schema.responseToJson(message).getBytes(StandardCharsets.UTF_8);
      } catch (InvalidProtocolBufferException e) {
        error(
            streamId,
            ConnectStatus.of(
                GrpcCode.INTERNAL,
                "ferry: the backend's response is not a valid "
                    + schema.responseType()
                    + ": "
                    + e.getMessage()),
            first,
            trailers);
        return;
      }
    } else {
      body = message;
    }
    send(streamId, 200, codec.contentType(false), body, first, trailers);
  }

  private void error(
      int streamId, ConnectStatus status, Http2Headers first, Http2Headers trailers) {
    byte[] body = ConnectErrors.errorJson(status);
    send(
        streamId, ConnectErrors.httpStatus(status.code()), APPLICATION_JSON, body, first, trailers);
  }

  private void send(
      int streamId,
      int httpStatus,
      AsciiString contentType,
      byte[] body,
      Http2Headers first,
      Http2Headers trailers) {
    answered = true;
    sent(httpStatus);
    Http2Headers h = new DefaultHttp2Headers(false, 8);
    h.status(AsciiString.of(Integer.toString(httpStatus)));
    h.set(CONTENT_TYPE, contentType);
    h.setInt("content-length", body.length);
    if (first != null) {
      ConnectMetadata.copy(first, h, "");
    }
    if (trailers != null) {
      ConnectMetadata.copy(trailers, h, TRAILER_PREFIX);
    }
    down.writeHeaders(streamId, h, false);
    down.writeData(streamId, Unpooled.wrappedBuffer(body), true, f -> {});
  }
}
