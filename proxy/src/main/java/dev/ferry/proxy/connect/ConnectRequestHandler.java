package dev.ferry.proxy.connect;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.ferry.proxy.schema.ClusterSchemas;
import dev.ferry.proxy.schema.MethodSchema;
import dev.ferry.proxy.schema.SchemaCallback;
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
import java.util.ArrayList;
import java.util.List;

/**
 * The client's stream of a Connect call whose body must be read whole before the gRPC call can have
 * it: a unary body (one message without a frame), a GET's query, or a JSON stream's envelopes. The
 * body is acknowledged as it arrives, up to a limit, and at its end given to the call as gRPC
 * frames; JSON first waits for the method's schema, asked of the route's cluster without blocking.
 * The gRPC call is started at once, so admission, routing and the deadline run meanwhile.
 */
final class ConnectRequestHandler implements StreamHandler, SchemaCallback {
  /** Where the request is: its body arriving, waiting for the schema, given, or not at all. */
  private enum Phase {
    READING,
    AWAITING_SCHEMA,
    GIVEN,
    REFUSED,
    CLOSED
  }

  private final StreamHandler call;
  private final ConnectDownstream answer;
  private final ConnectRequest request;
  private final ClusterSchemas schemas; // null when the call has no cluster to ask
  private final boolean bodyless; // the request's headers ended it: a GET, or an empty body
  private final HeldBody body;
  private Phase phase = Phase.READING;

  ConnectRequestHandler(
      StreamHandler call,
      ConnectDownstream answer,
      ConnectRequest request,
      ClusterSchemas schemas,
      Downstream down,
      int streamId,
      boolean endStream,
      int maxBody) {
    this.call = call;
    this.answer = answer;
    this.request = request;
    this.schemas = schemas;
    this.bodyless = endStream;
    this.body = new HeldBody(down, streamId, maxBody);
  }

  @Override
  public void start() {
    call.start();
    if (request.refusal() != null) {
      refuse(request.refusal());
    } else if (request.get() != null) {
      body.add(request.get());
      bodyComplete();
    } else if (bodyless) {
      bodyComplete();
    }
  }

  @Override
  public void onRequestData(ByteBuf data, boolean endStream) {
    if (!body.add(data, phase == Phase.READING)) {
      refuse(tooLarge());
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

  /** The body is whole: give it to the call, or first ask for the schema its JSON needs. */
  private void bodyComplete() {
    if (phase != Phase.READING) {
      return;
    }
    if (request.codec() == ConnectCodec.PROTO) {
      List<byte[]> messages = messages();
      if (messages != null) {
        give(messages);
      }
    } else if (schemas != null && request.service() != null) {
      phase = Phase.AWAITING_SCHEMA;
      schemas.find(request.service(), request.method(), this);
    } else if (request.service() == null) {
      refuse(
          ConnectRequest.invalid(
              "the path names no procedure (expected: /package.Service/Method)",
              GrpcCode.UNIMPLEMENTED));
    } else {
      // The call has no cluster (no route, a direct reply) and answers by itself: the body has
      // nowhere to go.
      phase = Phase.GIVEN;
      body.drop();
    }
  }

  @Override
  public void found(MethodSchema method) {
    if (phase != Phase.AWAITING_SCHEMA) {
      return; // the client went away meanwhile
    }
    if (request.streaming() != method.serverStreaming() || method.clientStreaming()) {
      refuse(wrongShape(method));
      return;
    }
    if (request.get() != null && !method.hasNoSideEffects()) {
      refuse(
          ConnectRequest.invalid(
              method.name()
                  + " is not marked idempotency_level = NO_SIDE_EFFECTS, so it cannot be called"
                  + " with GET; POST it",
              GrpcCode.UNIMPLEMENTED));
      return;
    }
    List<byte[]> json = messages();
    if (json == null) {
      return;
    }
    List<byte[]> messages = new ArrayList<>(json.size());
    for (byte[] j : json) {
      try {
        messages.add(method.requestFromJson(new String(j, StandardCharsets.UTF_8)));
      } catch (InvalidProtocolBufferException e) {
        refuse(
            ConnectRequest.invalid(
                "the body is not JSON of " + method.requestType() + ": " + e.getMessage(),
                GrpcCode.INVALID_ARGUMENT));
        return;
      }
    }
    answer.useSchema(method);
    give(messages);
  }

  @Override
  public void failed(ProxyStatus why) {
    if (phase != Phase.AWAITING_SCHEMA) {
      return;
    }
    refuse(why);
  }

  /** The body's messages: the body itself, or its envelopes' payloads; null when refused. */
  private List<byte[]> messages() {
    byte[] bytes = body.take();
    if (!request.streaming()) {
      return List.of(bytes);
    }
    try {
      return ConnectEnvelope.split(bytes);
    } catch (IllegalArgumentException e) {
      refuse(ConnectRequest.invalid(e.getMessage(), GrpcCode.INVALID_ARGUMENT));
      return null;
    }
  }

  /** Gives the call the whole request, as gRPC frames. */
  private void give(List<byte[]> messages) {
    int size = 0;
    for (byte[] m : messages) {
      size += ConnectEnvelope.PREFIX + m.length;
    }
    ByteBuf frames = ByteBufAllocator.DEFAULT.buffer(size);
    for (byte[] m : messages) {
      frames.writeByte(0).writeInt(m.length).writeBytes(m);
    }
    phase = Phase.GIVEN;
    call.onRequestData(frames, true);
  }

  private void refuse(ProxyStatus status) {
    phase = Phase.REFUSED;
    body.drop();
    call.refuseRequest(status);
  }

  private ProxyStatus tooLarge() {
    return ProxyStatus.of(
        GrpcCode.RESOURCE_EXHAUSTED,
        413,
        LocalReplyReason.MESSAGE_TOO_LARGE,
        "ferry: Connect request body of more than "
            + body.maxBytes()
            + " bytes exceeds the route's limit of "
            + body.maxBytes()
            + " bytes (max_request_message_size; 4MiB when unset)");
  }

  private ProxyStatus wrongShape(MethodSchema method) {
    String shape =
        method.clientStreaming()
            ? (method.serverStreaming() ? "a bidirectional stream" : "a client stream")
            : method.serverStreaming() ? "a server stream" : "unary";
    String how =
        method.clientStreaming()
            ? "ferry's Connect bridge takes unary and server-streaming calls only"
            : method.serverStreaming()
                ? "call it with content-type application/connect+json"
                : "call it with content-type application/json";
    return ConnectRequest.invalid(
        method.name() + " is " + shape + ": " + how, GrpcCode.UNIMPLEMENTED);
  }
}
