package dev.ferry.proxy.config;

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
    GrpcStatusCode grpc = m.has("grpc_status") ? grpcStatus(m.get("grpc_status")) : null;
    Integer http = m.has("http_status") ? m.get("http_status").integer(200, 599) : null;
    String message = m.has("message") ? m.get("message").string("a message") : "";
    if ((m.has("grpc_status") && grpc == null)
        || (m.has("http_status") && http == null)
        || message == null) {
      return null;
    }
    if (grpc == null) {
      grpc = GrpcStatusCode.forHttpStatus(http);
    }
    if (http == null) {
      http = grpc.httpStatus();
    }
    return new DirectReply(grpc.code(), http, message);
  }

  static GrpcStatusCode grpcStatus(YamlValue v) {
    String s = v.nonEmptyString("a gRPC status code from 0 to 16, or its name such as UNAVAILABLE");
    if (s == null) {
      return null;
    }
    GrpcStatusCode code =
        s.matches("\\d{1,3}")
            ? GrpcStatusCode.ofCode(Integer.parseInt(s))
            : GrpcStatusCode.ofName(s);
    if (code == null) {
      v.error(
          "expected a gRPC status code from 0 to 16, or its name such as UNAVAILABLE, got '"
              + s
              + "'");
    }
    return code;
  }
}
