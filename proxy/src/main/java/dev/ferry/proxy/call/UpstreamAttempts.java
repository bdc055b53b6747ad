package dev.ferry.proxy.call;

import dev.ferry.proxy.accesslog.UpstreamAttempt;
import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.ProxyStatus;
import dev.ferry.proxy.upstream.CallCluster;
import dev.ferry.proxy.upstream.CallEndpoint;
import dev.ferry.proxy.upstream.UpstreamFailure;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The endpoints one call tries in turn: the balancer's pick, then others after a failure that
 * reached no backend (nginx's {@code grpc_next_upstream error}) or a status the route retries. It
 * keeps one list of the tries that ended, from which the endpoints to skip, the reason's detail and
 * the access log's {@code attempts=} are all derived.
 */
final class UpstreamAttempts {
  /** How often a call asks its endpoint again for a connection that can take its stream. */
  static final int MAX_REACQUIRES = 8;

  /**
   * One try that ended: its endpoint, why it failed ({@code null} when it did not), and the answer
   * it got ({@code UNAVAILABLE(14)}, {@code http_503}; {@code null} when none came).
   */
  record Try(CallEndpoint endpoint, UpstreamFailure failure, String answer) {
    /** The try as the access log shows it: its answer, else how it failed, else no_answer. */
    UpstreamAttempt logged() {
      String outcome =
          answer != null
              ? answer
              : failure != null ? failure.kind().name().toLowerCase(Locale.ROOT) : "no_answer";
      return new UpstreamAttempt(endpoint.name(), outcome);
    }
  }

  private final CallCluster cluster;
  private final Http2Headers request;
  private int left;
  private int reacquires;
  private CallEndpoint current;
  // How the current try ended, once known: why it failed, or the statuses of its answer.
  private UpstreamFailure failure;
  private boolean answered;
  private int grpcStatus;
  private int httpStatus;
  // Made at the first try that fails: a call whose only try answers allocates nothing for it.
  private List<Try> tries;

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
    UpstreamFailure last = lastFailure();
    boolean sameEndpointOk = last != null && !last.isConnectFailure();
    CallEndpoint e = cluster.pick(request, tried(), sameEndpointOk);
    if (e != null) {
      left--;
      current = e;
      e.callStarted();
    }
    return e;
  }

  /** The endpoints of the tries that ended; every one of them while any try failed. */
  private List<CallEndpoint> tried() {
    if (tries == null) {
      return List.of(); // none failed: no try ended before this pick
    }
    List<CallEndpoint> endpoints = new ArrayList<>(tries.size());
    for (Try t : tries) {
      endpoints.add(t.endpoint());
    }
    return endpoints;
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

  /**
   * The call no longer uses its endpoint, and the try ended as it was noted (neither failure nor
   * answer: the call ended it). Safe to call when the call uses none.
   */
  void release() {
    if (current == null) {
      return;
    }
    current.callEnded();
    if (tries != null || failure != null) {
      if (tries == null) {
        tries = new ArrayList<>(2);
      }
      String answer = answered ? answerText(grpcStatus, httpStatus) : null;
      tries.add(new Try(current, failure, answer));
    }
    current = null;
    failure = null;
    answered = false;
  }

  private static String answerText(int grpcStatus, int httpStatus) {
    return grpcStatus >= 0
        ? GrpcCode.nameOf(grpcStatus) + "(" + grpcStatus + ")"
        : "http_" + httpStatus;
  }

  /**
   * No connection to the current endpoint: the cluster hears of it, the endpoint is let go, and the
   * failure kept with its try.
   */
  void connectFailed(UpstreamFailure failure) {
    if (current != null) {
      cluster.recordFailure(current, failure);
      this.failure = failure;
    }
    release();
  }

  /**
   * The current try's backend stream failed: the cluster hears of it (unless the backend merely
   * refused the stream, or the proxy cut it for a drain), the endpoint is let go. Returns the
   * failure naming the endpoint, or {@code endpointName} when the call had none, as its try keeps
   * it.
   */
  UpstreamFailure streamFailed(UpstreamFailure failure, String endpointName) {
    String where = current == null ? endpointName : current.name();
    UpstreamFailure here =
        new UpstreamFailure(failure.kind(), where + ": " + failure.detail(), failure.cause());
    if (current != null) {
      if (failure.blamesEndpoint()) {
        cluster.recordFailure(current, failure);
      }
      this.failure = here;
    }
    release();
    return here;
  }

  /**
   * The current endpoint gave its whole answer, with these statuses: outlier detection counts it.
   */
  void answered(int grpcStatus, int httpStatus) {
    if (current != null) {
      cluster.recordResponse(current, grpcStatus, httpStatus);
      this.answered = true;
      this.grpcStatus = grpcStatus;
      this.httpStatus = httpStatus;
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
    if (current != null) {
      failure =
          UpstreamFailure.of(
              UpstreamFailure.Kind.RETRYABLE_STATUS, where + ": grpc-status " + grpcStatus);
    }
    release();
    left++;
    return next();
  }

  boolean canRetry() {
    return left > 0;
  }

  /**
   * Why the call ends when {@link #next} found no endpoint: none could take it, or every try failed
   * (each one named, the last deciding the reason).
   */
  ProxyStatus noneLeft() {
    return lastFailure() == null
        ? LocalReply.noHealthyEndpoint(cluster)
        : LocalReply.noAttemptLeft(cluster.name(), failures());
  }

  /** Why each try failed, in order; empty when none did. */
  List<UpstreamFailure> failures() {
    List<UpstreamFailure> out = new ArrayList<>(tries == null ? 0 : tries.size());
    if (tries != null) {
      for (Try t : tries) {
        if (t.failure() != null) {
          out.add(t.failure());
        }
      }
    }
    return out;
  }

  /** Why the last try that failed did; {@code null} when none did. */
  UpstreamFailure lastFailure() {
    if (tries != null) {
      for (int i = tries.size() - 1; i >= 0; i--) {
        if (tries.get(i).failure() != null) {
          return tries.get(i).failure();
        }
      }
    }
    return null;
  }

  /**
   * Every try and how it ended, when the call tried more than one endpoint or its only try failed;
   * {@code null} otherwise. Complete once the call released its endpoint.
   */
  List<UpstreamAttempt> log() {
    if (tries == null) {
      return null;
    }
    List<UpstreamAttempt> out = new ArrayList<>(tries.size());
    for (Try t : tries) {
      out.add(t.logged());
    }
    return out;
  }
}
