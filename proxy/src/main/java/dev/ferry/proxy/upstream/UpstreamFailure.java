package dev.ferry.proxy.upstream;

import dev.ferry.proxy.status.LocalReplyReason;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Why a connection to a backend could not be made, or a backend stream ended before its response
 * did: a typed kind the proxy decides on (retry elsewhere, replay, count against the endpoint), a
 * detail for a person, and the exception behind it when there is one.
 *
 * @param kind what happened, as the proxy acts on it
 * @param detail for a person: {@code connect to 127.0.0.1:50051 refused}
 * @param cause the exception behind it, or {@code null}
 */
public record UpstreamFailure(Kind kind, String detail, Throwable cause) {

  /** What happened, as the proxy acts on it. */
  public enum Kind {
    /** The endpoint refused the connection (nothing listens there). */
    CONNECT_REFUSED,
    /** The connection was not made within the cluster's connect timeout. */
    CONNECT_TIMEOUT,
    /** The endpoint's host name does not resolve. */
    UNRESOLVED,
    /** The TLS handshake with the endpoint failed. */
    TLS_HANDSHAKE,
    /** The connection was made but the endpoint did not speak HTTP/2 in time, or closed it. */
    NO_HTTP2,
    /** Every connection is at the backend's stream limit and no other could be had. */
    NO_STREAM_CAPACITY,
    /** Any other failure to connect. */
    CONNECT_ERROR,
    /**
     * The backend certainly did not process the request (REFUSED_STREAM, or GOAWAY above the
     * stream): another connection or endpoint may be tried.
     */
    STREAM_REFUSED,
    /** The backend reset the stream, or closed it without an answer. */
    STREAM_RESET,
    /** The connection to the backend was lost. */
    CONNECTION_LOST,
    /** The backend answered with a gRPC status its route retries. */
    RETRYABLE_STATUS,
    /**
     * The proxy cut the call itself: it is shutting down, or a reload retired the cluster, and the
     * drain timeout ran out with the call still in flight.
     */
    DRAINING
  }

  public UpstreamFailure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
  }

  public static UpstreamFailure of(Kind kind, String detail) {
    return new UpstreamFailure(kind, detail, null);
  }

  /** The drain timeout ran out with the call in flight; {@code why} says whose drain. */
  public static UpstreamFailure draining(String why) {
    return of(Kind.DRAINING, why);
  }

  /** Every connection to {@code endpoint} is at its stream limit, and no other could be had. */
  public static UpstreamFailure noStreamCapacity(String endpoint) {
    return of(Kind.NO_STREAM_CAPACITY, "no connection to " + endpoint + " takes another stream");
  }

  /**
   * The failure of a connection attempt to {@code where} that ended with {@code cause}, named by
   * the exception's type, never its message text.
   */
  public static UpstreamFailure connect(String where, Throwable cause, int timeoutMillis) {
    if (cause instanceof ConnectTimeoutException) { // a ConnectException too: asked first
      return new UpstreamFailure(
          Kind.CONNECT_TIMEOUT,
          "connect to " + where + " timed out after " + timeoutMillis + "ms",
          cause);
    }
    if (cause instanceof ConnectException) {
      return new UpstreamFailure(Kind.CONNECT_REFUSED, "connect to " + where + " refused", cause);
    }
    if (cause instanceof UnknownHostException) {
      return new UpstreamFailure(Kind.UNRESOLVED, "cannot resolve " + where, cause);
    }
    if (cause instanceof SSLException) {
      return new UpstreamFailure(
          Kind.TLS_HANDSHAKE,
          "TLS handshake with " + where + " failed: " + rootMessage(cause),
          cause);
    }
    return new UpstreamFailure(
        Kind.CONNECT_ERROR, "connect to " + where + " failed: " + cause.getMessage(), cause);
  }

  /** Whether no connection was had at all, so the endpoint never saw the request. */
  public boolean isConnectFailure() {
    return switch (kind) {
      case STREAM_REFUSED, STREAM_RESET, CONNECTION_LOST, RETRYABLE_STATUS, DRAINING -> false;
      default -> true;
    };
  }

  /** Whether the backend certainly did not process the request, so it may be sent again. */
  public boolean refused() {
    return kind == Kind.STREAM_REFUSED;
  }

  /**
   * Whether the failure says something about the endpoint's health, for outlier detection: not when
   * the backend merely refused the stream, nor when the proxy cut the call itself.
   */
  public boolean blamesEndpoint() {
    return kind != Kind.STREAM_REFUSED && kind != Kind.DRAINING;
  }

  /** The reason a call that ends with this failure gives. */
  public LocalReplyReason reason() {
    if (kind == Kind.DRAINING) {
      return LocalReplyReason.DRAINING;
    }
    return isConnectFailure() ? LocalReplyReason.CONNECT_FAILED : LocalReplyReason.UPSTREAM_RESET;
  }

  /** The innermost cause's message: the one that names what went wrong. */
  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
