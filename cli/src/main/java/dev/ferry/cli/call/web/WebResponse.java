package dev.ferry.cli.call.web;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponse;

/**
 * Reads one protocol's response as its parts arrive, and tells the call what they mean: headers,
 * messages, and the status the call ends with. One per call; used on the connection's event loop.
 */
abstract class WebResponse {
  /** What the call hears. */
  interface Events {
    void headers(Metadata headers);

    void message(byte[] message);

    void close(Status status, Metadata trailers);
  }

  final Events events;
  final int maxMessage;

  WebResponse(Events events, int maxMessage) {
    this.events = events;
    this.maxMessage = maxMessage;
  }

  /** The reader for {@code protocol}; {@code streaming} for a server-streaming method. */
  static WebResponse of(CallProtocol protocol, boolean streaming, Events events, int maxMessage) {
    return switch (protocol) {
      case GRPC_WEB -> new GrpcWebResponse(events, maxMessage);
      case CONNECT ->
          streaming
              ? new ConnectStreamResponse(events, maxMessage)
              : new ConnectUnaryResponse(events, maxMessage);
      case GRPC -> throw new IllegalArgumentException("gRPC goes through grpc-java's channel");
    };
  }

  /** The status line and headers arrived. */
  abstract void head(HttpResponse response);

  /** A piece of the body arrived (the caller keeps owning it). */
  abstract void body(ByteBuf content);

  /** The body ended. */
  abstract void end();

  /** The status of a message over the call's limit, as grpc-java words it. */
  Status tooLarge(long length) {
    return Status.RESOURCE_EXHAUSTED.withDescription(
        "response message of "
            + length
            + " bytes is larger than the limit of "
            + maxMessage
            + " (--max-msg-size)");
  }

  static Status compressed() {
    return Status.INTERNAL.withDescription(
        "the server sent a compressed message although ferry call asked for none");
  }
}
