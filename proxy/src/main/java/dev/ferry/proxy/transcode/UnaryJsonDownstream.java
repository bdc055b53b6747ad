package dev.ferry.proxy.transcode;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.ferry.proxy.grpc.GrpcMessageReader;
import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.transport.Downstream;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;

/**
 * The answer to a transcoded unary call: the response is held until the trailers (the HTTP status
 * depends on them), then written as one JSON body with 200, or as google.rpc.Status JSON with the
 * status's HTTP code.
 */
final class UnaryJsonDownstream extends TranscodeDownstream {
  /** Larger than any unary answer worth holding: gRPC's own default limit is 4 MiB. */
  static final int MAX_MESSAGE = 16 << 20;

  private final GrpcMessageReader reader = new GrpcMessageReader(MAX_MESSAGE);
  private byte[] message;
  private boolean answered;

  UnaryJsonDownstream(Downstream down, HttpBinding binding) {
    super(down, binding);
  }

  @Override
  public void writeHeaders(int streamId, Http2Headers block, boolean endStream) {
    if (answered || !endStream) {
      return; // the response's headers: the answer's status waits for the trailers
    }
    RpcStatusJson.Error error = RpcStatusJson.of(block);
    CharSequence localReply = block.get(LocalReplyReason.HEADER);
    if (error != null) {
      finish(streamId, error.httpStatus(), error.json(), localReply);
    } else if (message == null) {
      fail(streamId, "ferry: the backend ended the call OK without a response message");
    } else {
      try {
        finish(streamId, 200, ResponseJson.of(binding, message), null);
      } catch (InvalidProtocolBufferException e) {
        fail(
            streamId,
            "ferry: the backend's response is not a valid "
                + binding.method().responseType()
                + ": "
                + e.getMessage());
      }
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
        byte[] m;
        while (!answered && (m = reader.next()) != null) {
          if (message != null) {
            fail(
                streamId,
                "ferry: "
                    + binding.method().name()
                    + " answered with more than one message; HTTP/JSON answers one");
          }
          message = m;
        }
      }
    } catch (IllegalArgumentException e) {
      fail(streamId, "ferry: the backend's response cannot be passed on: " + e.getMessage());
    } finally {
      data.release();
    }
    taken(down, onWritten);
  }

  private void finish(int streamId, int httpStatus, byte[] body, CharSequence localReply) {
    answered = true;
    send(streamId, httpStatus, body, localReply);
  }

  private void fail(int streamId, String detail) {
    RpcStatusJson.Error e = RpcStatusJson.error(GrpcCode.INTERNAL, detail, null);
    finish(streamId, e.httpStatus(), e.json(), null);
  }
}
