package dev.ferry.proxy.config;

import java.util.Locale;

/**
 * The gRPC status codes by number and name, without grpc-java (which the data path does not use);
 * for direct replies in the configuration and for the access log.
 */
public enum GrpcStatusCode {
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

  private final int httpStatus;

  GrpcStatusCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  /** The wire value, such as 14 for {@link #UNAVAILABLE}. */
  public int code() {
    return ordinal();
  }

  /** The HTTP status that best says the same to a plain HTTP client (google.rpc's mapping). */
  public int httpStatus() {
    return httpStatus;
  }

  /** The status with {@code code}, or {@code null} when the code is not one of gRPC's. */
  public static GrpcStatusCode ofCode(int code) {
    GrpcStatusCode[] all = values();
    return code >= 0 && code < all.length ? all[code] : null;
  }

  /** The status named {@code name} in any case ({@code unavailable}), or {@code null}. */
  public static GrpcStatusCode ofName(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The status a gRPC client reports for an HTTP status without gRPC trailers (gRPC's
   * http-grpc-status-mapping.md).
   */
  public static GrpcStatusCode forHttpStatus(int httpStatus) {
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
