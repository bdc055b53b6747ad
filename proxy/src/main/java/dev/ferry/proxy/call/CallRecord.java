package dev.ferry.proxy.call;

import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.accesslog.AccessLogEntry;
import dev.ferry.proxy.accesslog.UpstreamAttempt;
import dev.ferry.proxy.grpc.GrpcMessageScanner;
import dev.ferry.proxy.metrics.RouteMeters;
import dev.ferry.proxy.status.CallProtocol;
import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.status.ProxyStatus;
import dev.ferry.proxy.transport.Downstream;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.concurrent.Ticker;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The record of one call: what it noted about itself (request line, statuses, endpoint, bytes,
 * messages, body bytes held, why it ended) and, when its stream closes, the one entry it leaves in
 * the metrics, the access log and, when it failed, the dashboard. Plain fields, turned into an
 * entry only when a log wants one: a call that ends normally sets no reason and formats no detail.
 */
final class CallRecord {
  private final Worker worker;
  private final Ticker ticker;
  final long startNanos;
  private final boolean grpc;
  private final CallProtocol protocol;
  private final CharSequence method;
  private final CharSequence path;
  private final CharSequence authority;
  private final GrpcMessageScanner requestMessages;
  private final GrpcMessageScanner responseMessages;
  RouteMeters meters; // null while the call has none (ferry's own refusals before a route)
  int httpStatus;
  int grpcStatus = -1;
  String upstream;
  List<UpstreamAttempt> attempts; // null unless a try failed or the call was retried
  ProxyStatus localReply; // null unless the proxy answered, or ended the call, itself
  // Why the call ended when the proxy did not answer: null for the backend's answer (ok or
  // upstream, told apart by its status), else client_cancelled.
  LocalReplyReason endedBy;
  // What the log says beyond the reply's own detail (the route of a direct reply, the phase a
  // client cancelled in); only ever set on those paths.
  String detail;
  CharSequence grpcMessage; // the backend's grpc-message, kept only when its status is not OK
  long bytesIn;
  long bytesOut;
  private int buffered;
  private int bufferedPeak;
  private boolean finished;

  CallRecord(
      Worker worker, Ticker ticker, Http2Headers request, boolean grpc, CallProtocol bridged) {
    this.worker = worker;
    this.ticker = ticker;
    this.startNanos = ticker.nanoTime();
    this.grpc = grpc;
    this.protocol = bridged != null ? bridged : grpc ? CallProtocol.GRPC : CallProtocol.HTTP;
    // Kept before any header rule rewrites the request.
    this.method = request.method();
    this.path = request.path();
    this.authority = request.authority();
    this.requestMessages = grpc ? new GrpcMessageScanner(GrpcMessageScanner.COUNT_ONLY) : null;
    this.responseMessages = grpc ? new GrpcMessageScanner(GrpcMessageScanner.COUNT_ONLY) : null;
  }

  CharSequence path() {
    return path;
  }

  boolean isGrpc() {
    return grpc;
  }

  /** A piece of the request body arrived. */
  void requestData(ByteBuf data) {
    bytesIn += data.readableBytes();
    if (requestMessages != null) {
      requestMessages.scan(data);
    }
  }

  /** A piece of the response body arrived. */
  void responseData(ByteBuf data) {
    bytesOut += data.readableBytes();
    if (responseMessages != null) {
      responseMessages.scan(data);
    }
  }

  /** Whether the request body so far ends inside a gRPC message (never, for plain HTTP). */
  boolean requestInMessage() {
    return requestMessages != null && requestMessages.inMessage();
  }

  /** Body bytes held between reading them from one side and writing them to the other. */
  void buffered(int delta) {
    buffered += delta;
    if (buffered > bufferedPeak) {
      bufferedPeak = buffered;
    }
    worker.meters().buffered().add(delta);
  }

  /** Whether {@link #finish} ran: the call left its entry. */
  boolean isFinished() {
    return finished;
  }

  /** Leaves the call's entry in the metrics and the access log, once; later calls do nothing. */
  void finish(Downstream down) {
    if (finished) {
      return;
    }
    finished = true;
    long took = ticker.nanoTime() - startNanos;
    worker.meters().buffered().callEnded(bufferedPeak);
    if (meters != null) {
      meters.streamClosed();
      meters
          .method(path, method, grpc)
          .callEnded(
              grpcStatus,
              took,
              bytesIn,
              bytesOut,
              requestMessages == null ? 0 : requestMessages.messages(),
              responseMessages == null ? 0 : responseMessages.messages());
    }
    LocalReplyReason reason = reason();
    worker.meters().callEnded(reason);
    worker.meters().callSpoke(protocol);
    if (localReply != null) {
      worker.meters().localReply(localReply.reason());
    }
    AccessLog log = worker.accessLog();
    // Only a failed call builds an entry for the dashboard; an ok one costs nothing more.
    boolean failed = reason != LocalReplyReason.OK && reason != LocalReplyReason.DIRECT_REPLY;
    if (log != AccessLog.OFF || failed) {
      AccessLogEntry entry = toEntry(down, took, reason);
      if (failed) {
        worker.meters().recentFailures().add(entry);
      }
      if (log != AccessLog.OFF) {
        log.log(entry);
      }
    }
  }

  /**
   * Why the call ended: the proxy's reply, the client's cancel, or else the backend's answer, which
   * is {@code ok} when its status is (grpc-status 0; an HTTP status below 500).
   */
  LocalReplyReason reason() {
    if (localReply != null) {
      return localReply.reason();
    }
    if (endedBy != null) {
      return endedBy;
    }
    boolean ok = grpc ? grpcStatus == 0 : httpStatus > 0 && httpStatus < 500;
    return ok ? LocalReplyReason.OK : LocalReplyReason.UPSTREAM;
  }

  /** The detail of a call that ended for {@code reason}; built only for the log. */
  private String detail(LocalReplyReason reason) {
    if (detail != null) {
      return detail;
    }
    if (localReply != null) {
      return localReply.detail();
    }
    if (reason != LocalReplyReason.UPSTREAM) {
      return null;
    }
    String from = upstream == null ? "the backend" : upstream;
    if (!grpc) {
      return "HTTP " + httpStatus + " from " + from;
    }
    if (grpcStatus < 0) {
      return "HTTP "
          + httpStatus
          + " from "
          + from
          + " ended without grpc-status (the client sees "
          + GrpcCode.forHttpStatus(httpStatus)
          + ")";
    }
    return GrpcCode.nameOf(grpcStatus)
        + "("
        + grpcStatus
        + ") from "
        + from
        + (grpcMessage == null ? "" : ": " + grpcMessage);
  }

  private AccessLogEntry toEntry(Downstream down, long took, LocalReplyReason reason) {
    return new AccessLogEntry(
        System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(took),
        down.remoteAddress(),
        str(method),
        str(path),
        str(authority),
        down.protocol(),
        grpc,
        down.clientStatus(httpStatus),
        grpcStatus,
        upstream,
        localReply == null ? null : localReply.reason().wireName(),
        bytesIn,
        bytesOut,
        took,
        down.clientSubject(),
        reason.wireName(),
        detail(reason),
        attempts,
        protocol == CallProtocol.GRPC || protocol == CallProtocol.HTTP
            ? null
            : protocol.wireName());
  }

  private static String str(CharSequence s) {
    return s == null ? null : s.toString();
  }
}
