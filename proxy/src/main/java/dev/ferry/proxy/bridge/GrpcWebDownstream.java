package dev.ferry.proxy.bridge;

import dev.ferry.proxy.status.CallProtocol;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.transport.ForwardingDownstream;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;

/**
 * The client of a gRPC-Web call as the gRPC call sees it: response headers get the gRPC-Web content
 * type, trailers become the body's trailer frame, and for the text protocol every piece of the body
 * is sent as base64 of its own, so the client can decode it as it arrives (no buffering of a server
 * stream). A Trailers-Only answer (ferry's local replies among them) stays one header block:
 * gRPC-Web clients read {@code grpc-status} from the headers then.
 */
final class GrpcWebDownstream extends ForwardingDownstream {
  private static final GenericFutureListener<Future<? super Void>> NOTHING = f -> {};

  private final AsciiString responseType;
  private final CallProtocol protocol;
  private final Base64RequestBody textRequest; // null for the binary protocol
  private boolean headersSent;

  GrpcWebDownstream(
      Downstream down,
      AsciiString responseType,
      CallProtocol protocol,
      Base64RequestBody textRequest) {
    super(down);
    this.responseType = responseType;
    this.protocol = protocol;
    this.textRequest = textRequest;
  }

  @Override
  public void writeHeaders(int streamId, Http2Headers headers, boolean endStream) {
    if (!headersSent) {
      headersSent = true;
      headers.set(GrpcWebBridge.CONTENT_TYPE, responseType);
      // The backend's length is of its gRPC body: the trailer frame (and base64, for text) make
      // the client's longer, and a client holds the answer to a content-length it carries.
      headers.remove(HttpHeaderNames.CONTENT_LENGTH);
      down.writeHeaders(streamId, headers, endStream);
      return;
    }
    ByteBuf frame = GrpcWebTrailerFrame.encode(headers);
    down.writeData(streamId, textRequest == null ? frame : Base64Text.encode(frame), true, NOTHING);
  }

  @Override
  public void writeData(
      int streamId,
      ByteBuf data,
      boolean endStream,
      GenericFutureListener<? extends Future<? super Void>> onWritten) {
    down.writeData(
        streamId, textRequest == null ? data : Base64Text.encode(data), endStream, onWritten);
  }

  @Override
  public void consume(int streamId, int bytes) {
    if (textRequest == null) {
      down.consume(streamId, bytes);
    } else {
      textRequest.consumed(bytes);
    }
  }

  @Override
  public CallProtocol bridgedFrom() {
    return protocol;
  }
}
