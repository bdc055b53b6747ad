package dev.ferry.proxy.trace;

/** gRPC status codes by name, and the status a client derives from a non-gRPC HTTP answer. */
final class GrpcStatusNames {
  private static final String[] NAMES = {
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED"
  };

  private GrpcStatusNames() {}

  /** {@code UNAVAILABLE} for 14; {@code CODE_99} for codes gRPC does not define. */
  static String name(int code) {
    return code >= 0 && code < NAMES.length ? NAMES[code] : "CODE_" + code;
  }

  /** The name of {@code grpc-status}'s value, or the value itself if it is not a number. */
  static String nameOf(String value) {
    try {
      return name(Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return "unparseable(" + value + ")";
    }
  }

  /**
   * The status a gRPC client reports for an HTTP status other than 200, per gRPC's
   * http-grpc-status-mapping.md.
   */
  static String forHttpStatus(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> "INTERNAL";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "UNIMPLEMENTED";
      case 429, 502, 503, 504 -> "UNAVAILABLE";
      default -> "UNKNOWN";
    };
  }
}
