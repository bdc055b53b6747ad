package dev.ferry.proxy.transcode;

import dev.ferry.proxy.status.CallProtocol;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.transport.ForwardingDownstream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;

/**
 * The client of a transcoded call as the gRPC call sees it: the base of the unary and the streaming
 * answer, which both write JSON and google.rpc.Status JSON. ferry's own replies keep their {@value
 * LocalReplyReason#HEADER} header, so a person can tell them from the backend's.
 */
abstract class TranscodeDownstream extends ForwardingDownstream {
  static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");

  final HttpBinding binding;
  private int sentStatus; // the HTTP status the client got, once it did

  TranscodeDownstream(Downstream down, HttpBinding binding) {
    super(down);
    this.binding = binding;
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

  /** Writes the answer's headers: {@code httpStatus}, {@code contentType}, its length if known. */
  void writeStatus(
      int streamId,
      int httpStatus,
      AsciiString contentType,
      int contentLength,
      CharSequence localReply) {
    sentStatus = httpStatus;
    Http2Headers h = new DefaultHttp2Headers(false, 4);
    h.status(AsciiString.of(Integer.toString(httpStatus)));
    h.set("content-type", contentType);
    if (contentLength >= 0) {
      h.setInt("content-length", contentLength);
    }
    if (localReply != null) {
      h.set(LocalReplyReason.HEADER, localReply);
    }
    down.writeHeaders(streamId, h, false);
  }

  /** The whole answer at once: headers and {@code body}. */
  void send(int streamId, int httpStatus, byte[] body, CharSequence localReply) {
    writeStatus(streamId, httpStatus, APPLICATION_JSON, body.length, localReply);
    down.writeData(streamId, Unpooled.wrappedBuffer(body), true, f -> {});
  }

  /** Tells a writer its bytes are taken at once: they were held or converted. */
  @SuppressWarnings("unchecked")
  static void taken(
      Downstream down, GenericFutureListener<? extends Future<? super Void>> onWritten) {
    try {
      ((GenericFutureListener<Future<Void>>) onWritten)
          .operationComplete(down.eventLoop().newSucceededFuture(null));
    } catch (Exception e) {
      throw new IllegalStateException("a write listener failed", e);
    }
  }
}
