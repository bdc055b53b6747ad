package dev.ferry.proxy.call;

import dev.ferry.proxy.accesslog.UpstreamAttempt;
import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.upstream.CallCluster;
import dev.ferry.proxy.upstream.CallEndpoint;
import dev.ferry.proxy.upstream.UpstreamFailure;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The endpoints one call tries in turn: the balancer's pick, then others after a failure that
 * reached no backend (nginx's {@code grpc_next_upstream error}), why the last try failed, and, once
 * a try failed, how each one ended (for the access log).
 */
final class UpstreamAttempts {
  /** How often a call asks its endpoint again for a connection that can take its stream. */
  static final int MAX_REACQUIRES = 8;

  private final CallCluster cluster;
  private final Http2Headers request;
  private int left;
  private int reacquires;
  private CallEndpoint current;
  private List<CallEndpoint> tried;
  private UpstreamFailure lastFailure;
  private List<UpstreamFailure> failures; // every failed try, in order; made by the first
  private String outcome; // how the current try ended, once known
  private boolean answered; // whether the current try got its answer (outcome then may be null)
  // Made at the first failed try, so a call whose first try answers allocates nothing for it.
  private List<UpstreamAttempt> log;

  UpstreamAttempts(CallCluster cluster, Http2Headers request) {
    this.cluster = cluster;
    this.request = request;
    this.left = 1 + cluster.connectRetries();
  }

  /** The next endpoint to try, now counted as carrying the call; {@code null} when none is left. */
  CallEndpoint next() {
    if (left <= 0) {
      return null;
    }
    // A refused call may go back to the same endpoint (on another connection); a failed connect
    // must try elsewhere.
    boolean sameEndpointOk = lastFailure != null && !lastFailure.isConnectFailure();
    CallEndpoint e = cluster.pick(request, tried == null ? List.of() : tried, sameEndpointOk);
    if (e != null) {
      left--;
      current = e;
      e.callStarted();
    }
    return e;
  }

  /** The endpoint now carrying the call, or {@code null}. */
  CallEndpoint current() {
    return current;
  }

  /**
   * Whether the call may ask its endpoint again after a connection filled up before its stream
   * opened (the pool then opens another); counts the asking.
   */
  boolean mayReacquire() {
    return ++reacquires <= MAX_REACQUIRES;
  }

  /** The call no longer uses its endpoint; safe to call when it uses none. */
  void release() {
    if (current != null) {
      current.callEnded();
      if (tried == null) {
        tried = new ArrayList<>(2);
      }
      tried.add(current);
      if (log != null || (outcome != null && !answered)) {
        if (log == null) {
          log = new ArrayList<>(2);
        }
        log.add(new UpstreamAttempt(current.name(), outcome == null ? "no_answer" : outcome));
      }
      current = null;
      outcome = null;
      answered = false;
    }
  }

  /** Notes why a try failed; the call may go on with {@link #next}. */
  void failed(UpstreamFailure failure) {
    lastFailure = failure;
    if (failures == null) {
      failures = new ArrayList<>(2);
    }
    failures.add(failure);
  }

  /**
   * Every try and how it ended, when the call tried more than one endpoint or its only try failed;
   * {@code null} otherwise. Complete once the call released its endpoint.
   */
  List<UpstreamAttempt> log() {
    return log;
  }

  private void ended(UpstreamFailure failure) {
    outcome = failure.kind().name().toLowerCase(Locale.ROOT);
    answered = false;
  }

  /**
   * No connection to the current endpoint: the cluster hears of it, the endpoint is let go, and the
   * failure noted.
   */
  void connectFailed(UpstreamFailure failure) {
    if (current != null) {
      cluster.recordFailure(current, failure);
      ended(failure);
    }
    release();
    failed(failure);
  }

  /**
   * The current try's backend stream failed: the cluster hears of it (unless the backend merely
   * refused the stream, or the proxy cut it for a drain), the endpoint is let go. Returns the
   * failure naming the endpoint, or {@code endpointName} when the call had none.
   */
  UpstreamFailure streamFailed(UpstreamFailure failure, String endpointName) {
    String where = current == null ? endpointName : current.name();
    if (current != null && failure.blamesEndpoint()) {
      cluster.recordFailure(current, failure);
    }
    if (current != null) {
      ended(failure);
    }
    release();
    return new UpstreamFailure(failure.kind(), where + ": " + failure.detail(), failure.cause());
  }

  /**
   * The current endpoint gave its whole answer, with these statuses: outlier detection counts it.
   */
  void answered(int grpcStatus, int httpStatus) {
    if (current != null) {
      cluster.recordResponse(current, grpcStatus, httpStatus);
      if (log != null) { // only then is the answer worth a string
        outcome =
            grpcStatus >= 0
                ? GrpcCode.nameOf(grpcStatus) + "(" + grpcStatus + ")"
                : "http_" + httpStatus;
      }
      answered = true;
    }
  }

  /**
   * The current try answered with {@code grpcStatus}, which the route retries: the endpoint is let
   * go, and the call gets one try more than connect failures allow. Returns the endpoint of that
   * try, now carrying the call, or {@code null} when none is left.
   */
  CallEndpoint retryAfterStatus(int grpcStatus, int httpStatus, String endpointName) {
    String where = current == null ? endpointName : current.name();
    answered(grpcStatus, httpStatus);
    if (log == null) {
      log = new ArrayList<>(2);
      outcome = GrpcCode.nameOf(grpcStatus) + "(" + grpcStatus + ")";
    }
    release();
    failed(
        UpstreamFailure.of(
            UpstreamFailure.Kind.RETRYABLE_STATUS, where + ": grpc-status " + grpcStatus));
    left++;
    return next();
  }

  boolean canRetry() {
    return left > 0;
  }

  /** Why each try failed, in order; empty when none did. */
  List<UpstreamFailure> failures() {
    return failures == null ? List.of() : failures;
  }

  /** Why the last try failed; {@code null} when none did. */
  UpstreamFailure lastFailure() {
    return lastFailure;
  }
}
