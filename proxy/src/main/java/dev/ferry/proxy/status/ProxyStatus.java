package dev.ferry.proxy.status;

import java.util.Objects;

/**
 * How the proxy ends a call it answers itself, as one value from where that is decided to where it
 * is shown: the gRPC code, the HTTP status for plain HTTP clients, the typed reason (the {@value
 * LocalReplyReason#HEADER} trailer), a detail a person can act on, and the cause when an exception
 * led to it.
 *
 * @param code the {@code grpc-status} a gRPC client gets
 * @param httpStatus the status a plain HTTP client gets
 * @param reason why, as {@code ferry call}, {@code ferry trace}, the access log and metrics name it
 * @param detail the {@code grpc-message}, or the body of a plain HTTP reply
 * @param cause the exception behind it, or {@code null}
 */
public record ProxyStatus(
    GrpcCode code, int httpStatus, LocalReplyReason reason, String detail, Throwable cause) {

  public ProxyStatus {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }

  /** A status without an exception behind it. */
  public static ProxyStatus of(
      GrpcCode code, int httpStatus, LocalReplyReason reason, String detail) {
    return new ProxyStatus(code, httpStatus, reason, detail, null);
  }

  @Override
  public String toString() {
    return code + "(" + code.value() + ") " + reason.wireName() + ": " + detail;
  }
}
