package dev.ferry.proxy.call;

import dev.ferry.proxy.limits.GrpcMessageSizeCheck;
import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.status.ProxyStatus;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.upstream.UpstreamFailure;
import io.netty.handler.codec.http2.Http2Error;

/**
 * What the proxy says when it ends a call itself, and how the client is told: a gRPC Trailers-Only
 * reply or an HTTP status with one line of text when nothing of a response was sent, else trailers
 * (gRPC) or a reset (HTTP) after what was. The record notes it first, since the write may close the
 * stream.
 */
final class LocalReply {
  private LocalReply() {}

  /**
   * No endpoint is left to try: {@code last} says how the last one tried failed ({@code null}: the
   * balancer found none that can take the call).
   */
  static ProxyStatus noAttemptLeft(String cluster, UpstreamFailure last) {
    if (last == null) {
      return noEndpoint(cluster);
    }
    LocalReplyReason reason = last.reason();
    return new ProxyStatus(
        GrpcCode.UNAVAILABLE,
        reason == LocalReplyReason.UPSTREAM_RESET ? 502 : 503,
        reason,
        "ferry: cluster '" + cluster + "': " + last.detail(),
        last.cause());
  }

  private static ProxyStatus noEndpoint(String cluster) {
    return ProxyStatus.of(
        GrpcCode.UNAVAILABLE,
        503,
        LocalReplyReason.NO_HEALTHY_UPSTREAM,
        "ferry: cluster '" + cluster + "': no endpoint available");
  }

  /** The backend stream failed and the call cannot go elsewhere. */
  static ProxyStatus upstreamFailed(String cluster, UpstreamFailure failure) {
    return new ProxyStatus(
        GrpcCode.UNAVAILABLE,
        502,
        failure.reason(),
        "ferry: cluster '" + cluster + "': " + failure.detail(),
        failure.cause());
  }

  /** The backend sent a body before any headers. */
  static ProxyStatus dataBeforeHeaders(String cluster, String endpoint) {
    return ProxyStatus.of(
        GrpcCode.UNAVAILABLE,
        502,
        LocalReplyReason.UPSTREAM_PROTOCOL_ERROR,
        "ferry: cluster '" + cluster + "': " + endpoint + " sent DATA before HEADERS");
  }

  /** A request message is over the route's limit. */
  static ProxyStatus tooLarge(GrpcMessageSizeCheck check) {
    return ProxyStatus.of(
        GrpcCode.RESOURCE_EXHAUSTED,
        413,
        LocalReplyReason.MESSAGE_TOO_LARGE,
        "ferry: request message of "
            + check.offendingSize()
            + " bytes exceeds the route's limit of "
            + check.maxBytes()
            + " bytes");
  }

  /** The call's deadline passed in the proxy. */
  static ProxyStatus deadlineExceeded(long timeoutMillis, String cluster) {
    return ProxyStatus.of(
        GrpcCode.DEADLINE_EXCEEDED,
        504,
        LocalReplyReason.DEADLINE_EXCEEDED,
        "ferry: deadline of "
            + timeoutMillis
            + "ms exceeded in the proxy (cluster '"
            + cluster
            + "')");
  }

  /**
   * Answers a call of which the client has seen no response yet.
   *
   * @param retryAfterSeconds for plain HTTP, the {@code retry-after} to send; 0 for none
   */
  static void answer(
      Downstream down,
      int streamId,
      CallRecord record,
      ProxyStatus status,
      long retryAfterSeconds) {
    record.localReply = status;
    if (record.isGrpc()) {
      record.grpcStatus = status.code().value();
      record.httpStatus = 200;
      down.writeHeaders(streamId, GrpcLocalReply.trailersOnly(status), true);
    } else {
      record.httpStatus = status.httpStatus();
      HttpLocalReply.write(down, streamId, status, retryAfterSeconds);
    }
  }

  /** Ends a call whose response headers the client already has. */
  static void cutShort(Downstream down, int streamId, CallRecord record, ProxyStatus status) {
    record.localReply = status;
    if (record.isGrpc()) {
      // Trailers rather than RST_STREAM: the client learns the status and the proxy's reason.
      record.grpcStatus = status.code().value();
      down.writeHeaders(streamId, GrpcLocalReply.trailers(status), true);
    } else {
      down.reset(streamId, Http2Error.INTERNAL_ERROR);
    }
  }
}
