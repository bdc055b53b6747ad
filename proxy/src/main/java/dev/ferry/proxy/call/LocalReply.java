package dev.ferry.proxy.call;

import dev.ferry.proxy.limits.GrpcMessageSizeCheck;
import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.status.ProxyStatus;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.upstream.CallCluster;
import dev.ferry.proxy.upstream.UpstreamFailure;
import io.netty.handler.codec.http2.Http2Error;
import java.util.List;

/**
 * What the proxy says when it ends a call itself, and how the client is told: a gRPC Trailers-Only
 * reply or an HTTP status with one line of text when nothing of a response was sent, else trailers
 * (gRPC) or a reset (HTTP) after what was. The record notes it first, since the write may close the
 * stream.
 */
final class LocalReply {
  private LocalReply() {}

  /**
   * No endpoint is left to try, after the tries that failed with {@code failures} (at least one):
   * every one is named, each with its own error, and the last decides the reason.
   */
  static ProxyStatus noAttemptLeft(String cluster, List<UpstreamFailure> failures) {
    UpstreamFailure last = failures.get(failures.size() - 1);
    LocalReplyReason reason = last.reason();
    StringBuilder detail = new StringBuilder("ferry: cluster '").append(cluster).append("': ");
    for (int i = 0; i < failures.size(); i++) {
      detail.append(i == 0 ? "" : "; ").append(failures.get(i).detail());
    }
    return new ProxyStatus(
        GrpcCode.UNAVAILABLE,
        reason == LocalReplyReason.UPSTREAM_RESET ? 502 : 503,
        reason,
        detail.toString(),
        last.cause());
  }

  /** The balancer found no endpoint that can take the call: the detail says what each one is. */
  static ProxyStatus noHealthyEndpoint(CallCluster cluster) {
    return ProxyStatus.of(
        GrpcCode.UNAVAILABLE,
        503,
        LocalReplyReason.NO_HEALTHY_UPSTREAM,
        "ferry: cluster '"
            + cluster.name()
            + "': no endpoint available: "
            + cluster.describeEndpoints());
  }

  /**
   * The backend stream failed and the call cannot go elsewhere; {@code requestSent} says how much
   * of the request had gone to the backend.
   */
  static ProxyStatus upstreamFailed(String cluster, UpstreamFailure failure, String requestSent) {
    return new ProxyStatus(
        GrpcCode.UNAVAILABLE,
        // A drain is the proxy's own unavailability, as nginx's 503 while it stops; else the
        // backend failed the proxy, a bad gateway.
        failure.reason() == LocalReplyReason.DRAINING ? 503 : 502,
        failure.reason(),
        "ferry: cluster '" + cluster + "': " + failure.detail() + ", " + requestSent,
        failure.cause());
  }

  /** The client's request body ended inside a gRPC message: a length prefix promised more. */
  static ProxyStatus requestEndsInMessage() {
    return ProxyStatus.of(
        GrpcCode.INTERNAL,
        400,
        LocalReplyReason.PROTOCOL_ERROR,
        "ferry: protocol error by the client: its request ended inside a gRPC message (the"
            + " length prefix promised more bytes than came)");
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

  /**
   * The call's deadline passed in the proxy; {@code headersArrived}: the backend's response headers
   * had come.
   */
  static ProxyStatus deadlineExceeded(
      CallDeadline deadline, String cluster, boolean headersArrived) {
    return ProxyStatus.of(
        GrpcCode.DEADLINE_EXCEEDED,
        504,
        LocalReplyReason.DEADLINE_EXCEEDED,
        "ferry: deadline of "
            + deadline.timeoutMillis()
            + "ms exceeded in the proxy ("
            + deadline.whose()
            + ", cluster '"
            + cluster
            + "'); "
            + (headersArrived
                ? "the response headers had arrived"
                : "no response headers had arrived"));
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
