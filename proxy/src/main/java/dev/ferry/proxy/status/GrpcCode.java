package dev.ferry.proxy.status;

/**
 * The 17 gRPC status codes with their canonical names and wire numbers, without grpc-java (which
 * the data path does not use); the one table the proxy, its configuration and trace name them by.
 */
public enum GrpcCode {
  OK(200),
  CANCELLED(499),
  UNKNOWN(500),
  INVALID_ARGUMENT(400),
  DEADLINE_EXCEEDED(504),
  NOT_FOUND(404),
  ALREADY_EXISTS(409),
  PERMISSION_DENIED(403),
  RESOURCE_EXHAUSTED(429),
  FAILED_PRECONDITION(400),
  ABORTED(409),
  OUT_OF_RANGE(400),
  UNIMPLEMENTED(501),
  INTERNAL(500),
  UNAVAILABLE(503),
  DATA_LOSS(500),
  UNAUTHENTICATED(401);

  private static final GrpcCode[] BY_VALUE = values();

  private final int httpStatus;

  GrpcCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  /** The wire value, such as 14 for {@link #UNAVAILABLE}; the order above is gRPC's numbering. */
  public int value() {
    return ordinal();
  }

  /** The HTTP status that best says the same to a plain HTTP client (google.rpc's mapping). */
  public int httpStatus() {
    return httpStatus;
  }

  /** The code with wire value {@code value}, or {@code null} when gRPC defines none. */
  public static GrpcCode ofValue(int value) {
    return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
  }

  /** The code named {@code name} in any case ({@code unavailable}), or {@code null}. */
  public static GrpcCode ofName(String name) {
    for (GrpcCode c : BY_VALUE) {
      if (c.name().equalsIgnoreCase(name)) {
        return c;
      }
    }
    return null;
  }

  /**
   * The code written as a number ({@code 14}) or a name in any case ({@code unavailable}), or
   * {@code null} when it is neither.
   */
  public static GrpcCode parse(String text) {
    String s = text.trim();
    if (!s.isEmpty() && s.length() <= 3 && s.chars().allMatch(Character::isDigit)) {
      return ofValue(Integer.parseInt(s));
    }
    return ofName(s);
  }

  /** {@code UNAVAILABLE} for 14; {@code CODE_99} for a value gRPC does not define. */
  public static String nameOf(int value) {
    GrpcCode c = ofValue(value);
    return c == null ? "CODE_" + value : c.name();
  }

  /**
   * The code a gRPC client reports for an HTTP status without gRPC trailers (gRPC's
   * http-grpc-status-mapping.md).
   */
  public static GrpcCode forHttpStatus(int httpStatus) {
    return switch (httpStatus) {
      case 200 -> OK;
      case 400 -> INTERNAL;
      case 401 -> UNAUTHENTICATED;
      case 403 -> PERMISSION_DENIED;
      case 404 -> UNIMPLEMENTED;
      case 429, 502, 503, 504 -> UNAVAILABLE;
      default -> UNKNOWN;
    };
  }
}
