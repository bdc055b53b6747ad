package dev.ferry.proxy.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * Tells an HTTP/2 prior-knowledge client on a TLS port that the port requires TLS: SETTINGS (the
 * server's preface), then, once the client's first request arrives, an answer to it (a gRPC status
 * UNAVAILABLE for gRPC, else a 400 with the message) and a GOAWAY with the message as debug data.
 * Answering the request matters: a gRPC client that gets GOAWAY with its request unprocessed takes
 * it for a server going away and retries at once, on a new connection, without end.
 */
final class PlaintextHttp2Refusal {
  private static final int PREFACE_LENGTH = Http2CodecUtil.connectionPrefaceBuf().readableBytes();

  private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader();
  private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
  private boolean prefaceSkipped;
  private int request;
  private Http2Headers requestHeaders;

  /** Sends the server's preface. */
  void start(ChannelHandlerContext ctx) {
    writer.writeSettings(ctx, new Http2Settings(), ctx.newPromise());
    ctx.flush();
  }

  /**
   * Reads the client's frames from {@code in}; once its first request is in, answers it and sends
   * GOAWAY.
   *
   * @return whether the answer was sent
   * @throws Http2Exception when the client's frames are malformed
   */
  boolean read(ChannelHandlerContext ctx, ByteBuf in) throws Http2Exception {
    if (!prefaceSkipped) {
      if (in.readableBytes() < PREFACE_LENGTH) {
        return false;
      }
      in.skipBytes(PREFACE_LENGTH);
      prefaceSkipped = true;
    }
    reader.readFrame(
        ctx,
        in,
        new Http2FrameAdapter() {
          @Override
          public void onHeadersRead(
              ChannelHandlerContext ctx,
              int streamId,
              Http2Headers headers,
              int padding,
              boolean endOfStream) {
            if (request == 0) {
              request = streamId;
              requestHeaders = headers;
            }
          }

          @Override
          public void onHeadersRead(
              ChannelHandlerContext ctx,
              int streamId,
              Http2Headers headers,
              int streamDependency,
              short weight,
              boolean exclusive,
              int padding,
              boolean endOfStream) {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
          }
        });
    if (request == 0) {
      return false;
    }
    answer(ctx);
    goAway(ctx, request);
    return true;
  }

  private void answer(ChannelHandlerContext ctx) {
    CharSequence type = requestHeaders.get("content-type");
    boolean grpc = type != null && type.toString().startsWith("application/grpc");
    if (grpc) {
      Http2Headers trailersOnly =
          new DefaultHttp2Headers()
              .status("200")
              .set("content-type", "application/grpc")
              .setInt("grpc-status", 14) // UNAVAILABLE: as for any server that cannot be reached
              .set("grpc-message", PlaintextOnTlsPortHandler.MESSAGE);
      writer.writeHeaders(ctx, request, trailersOnly, 0, true, ctx.newPromise());
      return;
    }
    Http2Headers badRequest =
        new DefaultHttp2Headers().status("400").set("content-type", "text/plain; charset=utf-8");
    writer.writeHeaders(ctx, request, badRequest, 0, false, ctx.newPromise());
    ByteBuf body = ByteBufUtil.writeAscii(ctx.alloc(), PlaintextOnTlsPortHandler.MESSAGE + "\n");
    writer.writeData(ctx, request, body, 0, true, ctx.newPromise());
  }

  /** GOAWAY naming {@code lastStreamId} as processed, with the message as debug data. */
  void goAway(ChannelHandlerContext ctx, int lastStreamId) {
    ByteBuf debug = ByteBufUtil.writeAscii(ctx.alloc(), PlaintextOnTlsPortHandler.MESSAGE);
    writer.writeGoAway(
        ctx, lastStreamId, Http2Error.PROTOCOL_ERROR.code(), debug, ctx.newPromise());
  }

  /** Frees the HPACK state. */
  void close() {
    reader.close();
    writer.close();
  }
}
