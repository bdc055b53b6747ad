package dev.ferry.proxy.config;

import dev.ferry.proxy.status.GrpcCode;

/**
 * Reads a route's {@code direct_reply:}; a status left out follows from the other (gRPC's mapping
 * between HTTP and gRPC statuses), so {@code { grpc_status: 12 }} alone is enough.
 */
final class DirectReplyReader {
  private DirectReplyReader() {}

  /** The reply, or {@code null} after reporting. */
  static DirectReply read(YamlValue v) {
    YamlMapping m = v.mapping("grpc_status", "http_status", "message");
    if (m == null) {
      return null;
    }
    if (!m.has("grpc_status") && !m.has("http_status")) {
      v.error(
          "expected grpc_status, http_status or both, such as { grpc_status: 12, http_status: 404 }");
      return null;
    }
    GrpcCode grpc = m.has("grpc_status") ? grpcStatus(m.get("grpc_status")) : null;
    Integer http = m.has("http_status") ? m.get("http_status").integer(200, 599) : null;
    String message = m.has("message") ? m.get("message").string("a message") : "";
    if ((m.has("grpc_status") && grpc == null)
        || (m.has("http_status") && http == null)
        || message == null) {
      return null;
    }
    if (grpc == null) {
      grpc = GrpcCode.forHttpStatus(http);
    }
    if (http == null) {
      http = grpc.httpStatus();
    }
    return new DirectReply(grpc.value(), http, message);
  }

  static GrpcCode grpcStatus(YamlValue v) {
    String s = v.nonEmptyString("a gRPC status code from 0 to 16, or its name such as UNAVAILABLE");
    if (s == null) {
      return null;
    }
    GrpcCode code = GrpcCode.parse(s);
    if (code == null) {
      v.error(
          "expected a gRPC status code from 0 to 16, or its name such as UNAVAILABLE, got '"
              + s
              + "'");
    }
    return code;
  }
}
