package dev.ferry.proxy.bridge;

import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.status.ProxyStatus;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.transport.StreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * The client's stream of a gRPC-Web text call: the request body is decoded from base64 before the
 * gRPC call gets it (line breaks between groups are skipped). A body that is not base64 ends the
 * call with ferry's own answer, which says so.
 */
final class Base64RequestHandler implements StreamHandler {
  private final StreamHandler call;
  private final Base64RequestBody body;
  private final Downstream down;
  private final int streamId;
  private boolean broken;

  Base64RequestHandler(StreamHandler call, Base64RequestBody body, Downstream down, int streamId) {
    this.call = call;
    this.body = body;
    this.down = down;
    this.streamId = streamId;
  }

  @Override
  public void start() {
    call.start();
  }

  @Override
  public void onRequestData(ByteBuf data, boolean endStream) {
    if (broken) {
      int n = data.readableBytes();
      data.release();
      down.consume(streamId, n);
      return;
    }
    ByteBuf decoded = body.decode(data);
    if (decoded == null || (endStream && body.inGroup())) {
      if (decoded != null) {
        decoded.release();
      }
      broken = true;
      call.refuseRequest(
          ProxyStatus.of(
              GrpcCode.INTERNAL,
              400,
              LocalReplyReason.BAD_REQUEST,
              decoded == null
                  ? "ferry: the application/grpc-web-text body is not base64"
                  : "ferry: the application/grpc-web-text body ends inside a group of four"
                      + " base64 characters"));
      return;
    }
    if (decoded.isReadable() || endStream) {
      call.onRequestData(decoded, endStream);
    } else {
      decoded.release();
    }
  }

  @Override
  public void onRequestTrailers(Http2Headers trailers) {
    call.onRequestTrailers(trailers);
  }

  @Override
  public void onClientReset(long errorCode) {
    call.onClientReset(errorCode);
  }

  @Override
  public void onDownstreamClosed() {
    call.onDownstreamClosed();
  }
}
