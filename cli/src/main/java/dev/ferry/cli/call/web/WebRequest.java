package dev.ferry.cli.call.web;

import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaders;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpMethod;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.TimeUnit;

/** The HTTP/1.1 request of one call, as a browser's client library of the protocol writes it. */
final class WebRequest {
  private static final String USER_AGENT = "ferry-call";

  private WebRequest() {}

  /**
   * The POST of {@code message} (one request: these protocols carry no client stream) to {@code
   * path}; {@code streaming} for a server-streaming method; {@code deadline} may be null.
   */
  static FullHttpRequest of(
      CallProtocol protocol,
      boolean streaming,
      String path,
      String authority,
      Metadata metadata,
      byte[] message,
      Deadline deadline) {
    byte[] body =
        protocol == CallProtocol.CONNECT && !streaming ? message : Envelopes.frame(0, message);
    FullHttpRequest r =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.POST, path, Unpooled.wrappedBuffer(body));
    HttpHeaders h = r.headers();
    h.set("host", authority);
    HttpMetadata.addTo(h, metadata);
    long timeoutMillis =
        deadline == null ? -1 : Math.max(1, deadline.timeRemaining(TimeUnit.MILLISECONDS));
    switch (protocol) {
      case GRPC_WEB -> {
        h.set("content-type", "application/grpc-web+proto");
        h.set("accept", "application/grpc-web+proto");
        h.set("x-grpc-web", "1");
        h.set("x-user-agent", USER_AGENT);
        if (timeoutMillis > 0) {
          h.set("grpc-timeout", timeoutMillis + "m");
        }
      }
      case CONNECT -> {
        h.set("content-type", streaming ? "application/connect+proto" : "application/proto");
        h.set("connect-protocol-version", "1");
        h.set("user-agent", USER_AGENT);
        if (timeoutMillis > 0) {
          h.set("connect-timeout-ms", Long.toString(timeoutMillis));
        }
      }
      case GRPC -> throw new IllegalArgumentException("gRPC goes through grpc-java's channel");
    }
    h.set("content-length", body.length);
    return r;
  }
}
