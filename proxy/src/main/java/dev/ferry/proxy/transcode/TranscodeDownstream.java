package dev.ferry.proxy.transcode;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.ferry.proxy.grpc.GrpcMessageReader;
import dev.ferry.proxy.status.CallProtocol;
import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.transport.ForwardingDownstream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;

/**
 * The answer to a transcoded unary call, as the gRPC call sees its client: the response is held
 * until the trailers (the HTTP status depends on them), then written as one JSON body with 200, or
 * as google.rpc.Status JSON with the status's HTTP code. ferry's own replies keep their {@value
 * LocalReplyReason#HEADER} header, so a person can tell them from the backend's.
 */
final class TranscodeDownstream extends ForwardingDownstream {
  /** Larger than any unary answer worth holding: gRPC's own default limit is 4 MiB. */
  static final int MAX_MESSAGE = 16 << 20;

  private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");

  private final HttpBinding binding;
  private final GrpcMessageReader reader = new GrpcMessageReader(MAX_MESSAGE);
  private byte[] message;
  private boolean answered;
  private int sentStatus; // the HTTP status the client got, once it did

  TranscodeDownstream(Downstream down, HttpBinding binding) {
    super(down);
    this.binding = binding;
  }

  @Override
  public void writeHeaders(int streamId, Http2Headers block, boolean endStream) {
    if (answered || !endStream) {
      return; // the response's headers: the answer's status waits for the trailers
    }
    RpcStatusJson.Error error = RpcStatusJson.of(block);
    CharSequence localReply = block.get(LocalReplyReason.HEADER);
    if (error != null) {
      send(streamId, error.httpStatus(), error.json(), localReply);
    } else if (message == null) {
      fail(streamId, "ferry: the backend ended the call OK without a response message");
    } else {
      try {
        send(streamId, 200, ResponseJson.of(binding, message), null);
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
    taken(onWritten);
  }

  @Override
  public void consume(int streamId, int bytes) {
    // The request was read (and acknowledged) whole by the bridge to build the message: what the
    // call acknowledges of the frame it was given is not the client's to hear.
  }

  @Override
  public int clientStatus(int callStatus) {
    return sentStatus != 0 ? sentStatus : callStatus;
  }

  @Override
  public CallProtocol bridgedFrom() {
    return CallProtocol.HTTP_JSON;
  }

  private void fail(int streamId, String detail) {
    RpcStatusJson.Error e = RpcStatusJson.error(GrpcCode.INTERNAL, detail, null);
    send(streamId, e.httpStatus(), e.json(), null);
  }

  private void send(int streamId, int httpStatus, byte[] body, CharSequence localReply) {
    answered = true;
    sentStatus = httpStatus;
    Http2Headers h = new DefaultHttp2Headers(false, 4);
    h.status(AsciiString.of(Integer.toString(httpStatus)));
    h.set("content-type", APPLICATION_JSON);
    h.setInt("content-length", body.length);
    if (localReply != null) {
      h.set(LocalReplyReason.HEADER, localReply);
    }
    down.writeHeaders(streamId, h, false);
    down.writeData(streamId, Unpooled.wrappedBuffer(body), true, f -> {});
  }

  /** Tells a writer its bytes are taken at once: held, and bounded by one message. */
  @SuppressWarnings("unchecked")
  private void taken(GenericFutureListener<? extends Future<? super Void>> onWritten) {
    try {
      ((GenericFutureListener<Future<Void>>) onWritten)
          .operationComplete(down.eventLoop().newSucceededFuture(null));
    } catch (Exception e) {
      throw new IllegalStateException("a write listener failed", e);
    }
  }
}
