package dev.ferry.proxy.transcode;

import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.status.ProxyStatus;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.transport.HeldBody;
import dev.ferry.proxy.transport.StreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The client's stream of a transcoded call: its body is read whole (acknowledged as it arrives, up
 * to the route's limit), then, with the path's variables and the query, made into the method's
 * request message and given to the gRPC call as one frame. The call is started at once, so
 * admission, routing and the deadline run meanwhile.
 */
final class TranscodeRequestHandler implements StreamHandler {
  /** Where the request is: its body arriving, given to the call, or refused. */
  private enum Phase {
    READING,
    GIVEN,
    REFUSED,
    CLOSED
  }

  private final StreamHandler call;
  private final RuleMatch match;
  private final Map<String, List<String>> query;
  private final boolean bodyless;
  private final HeldBody body;
  private Phase phase = Phase.READING;

  TranscodeRequestHandler(
      StreamHandler call,
      RuleMatch match,
      Map<String, List<String>> query,
      Downstream down,
      int streamId,
      boolean endStream,
      int maxBody) {
    this.call = call;
    this.match = match;
    this.query = query;
    this.bodyless = endStream;
    this.body = new HeldBody(down, streamId, maxBody);
  }

  @Override
  public void start() {
    call.start();
    if (match.binding().method().clientStreaming()) {
      refuse(
          ProxyStatus.of(
              GrpcCode.UNIMPLEMENTED,
              GrpcCode.UNIMPLEMENTED.httpStatus(),
              LocalReplyReason.BAD_REQUEST,
              "ferry: HTTP/JSON: "
                  + match.binding().method().name()
                  + " streams its request; ferry transcodes unary and server-streaming"
                  + " methods only"));
    } else if (bodyless) {
      bodyComplete();
    }
  }

  @Override
  public void onRequestData(ByteBuf data, boolean endStream) {
    if (!body.add(data, phase == Phase.READING)) {
      refuse(
          ProxyStatus.of(
              GrpcCode.RESOURCE_EXHAUSTED,
              413,
              LocalReplyReason.MESSAGE_TOO_LARGE,
              "ferry: HTTP/JSON request body of more than "
                  + body.maxBytes()
                  + " bytes exceeds the route's limit (max_request_message_size; 4MiB when"
                  + " unset)"));
    }
    if (endStream) {
      bodyComplete();
    }
  }

  @Override
  public void onRequestTrailers(Http2Headers trailers) {
    bodyComplete();
  }

  @Override
  public void onClientReset(long errorCode) {
    call.onClientReset(errorCode);
  }

  @Override
  public void onDownstreamClosed() {
    phase = Phase.CLOSED;
    body.drop();
    call.onDownstreamClosed();
  }

  private void bodyComplete() {
    if (phase != Phase.READING) {
      return;
    }
    String json = new String(body.take(), StandardCharsets.UTF_8);
    byte[] message;
    try {
      message = RequestMessage.build(match, query, json);
    } catch (BadRequest e) {
      refuse(
          ProxyStatus.of(
              GrpcCode.INVALID_ARGUMENT,
              400,
              LocalReplyReason.BAD_REQUEST,
              "ferry: HTTP/JSON request for "
                  + match.binding().method().name()
                  + ": "
                  + e.getMessage()));
      return;
    }
    ByteBuf frame = ByteBufAllocator.DEFAULT.buffer(5 + message.length);
    frame.writeByte(0).writeInt(message.length).writeBytes(message);
    phase = Phase.GIVEN;
    call.onRequestData(frame, true);
  }

  private void refuse(ProxyStatus status) {
    phase = Phase.REFUSED;
    body.drop();
    call.refuseRequest(status);
  }
}
