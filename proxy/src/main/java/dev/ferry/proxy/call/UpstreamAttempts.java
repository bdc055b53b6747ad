package dev.ferry.proxy.call;

import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.upstream.UpstreamCluster;
import dev.ferry.proxy.upstream.UpstreamEndpoint;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.ArrayList;
import java.util.List;

/**
 * The endpoints one call tries in turn: the balancer's pick, then others after a failure that
 * reached no backend (nginx's {@code grpc_next_upstream error}), and why the last try failed.
 */
final class UpstreamAttempts {
  private final UpstreamCluster cluster;
  private final Http2Headers request;
  private int left;
  private UpstreamEndpoint current;
  private List<UpstreamEndpoint> tried;
  private String lastFailure;
  private LocalReplyReason lastReason;

  UpstreamAttempts(UpstreamCluster cluster, Http2Headers request) {
    this.cluster = cluster;
    this.request = request;
    this.left = 1 + cluster.connectRetries();
  }

  /** The next endpoint to try, now counted as carrying the call; {@code null} when none is left. */
  UpstreamEndpoint next() {
    if (left <= 0) {
      return null;
    }
    // A refused call may go back to the same endpoint (on another connection); a failed connect
    // must try elsewhere.
    boolean sameEndpointOk = lastReason == LocalReplyReason.UPSTREAM_RESET;
    UpstreamEndpoint e = cluster.pick(request, tried == null ? List.of() : tried, sameEndpointOk);
    if (e != null) {
      left--;
      current = e;
      e.callStarted();
    }
    return e;
  }

  /** The endpoint now carrying the call, or {@code null}. */
  UpstreamEndpoint current() {
    return current;
  }

  /** The call no longer uses its endpoint. */
  void release() {
    if (current != null) {
      current.callEnded();
      if (tried == null) {
        tried = new ArrayList<>(2);
      }
      tried.add(current);
      current = null;
    }
  }

  /** Notes why a try failed; the call may go on with {@link #next}. */
  void failed(String cause, LocalReplyReason reason) {
    lastFailure = cause;
    lastReason = reason;
  }

  /** One more try than the cluster's connect retries allow: a status retry of the route. */
  void allowOneMore() {
    left++;
  }

  boolean canRetry() {
    return left > 0;
  }

  /** Why the last try failed, for a person; {@code null} when none did. */
  String lastFailure() {
    return lastFailure;
  }

  LocalReplyReason lastReason() {
    return lastReason;
  }
}
