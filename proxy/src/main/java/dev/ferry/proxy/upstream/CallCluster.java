package dev.ferry.proxy.upstream;

import io.netty.handler.codec.http2.Http2Headers;
import java.util.Collection;

/**
 * A cluster as one call uses it on its event loop: a slot among its calls in flight, an endpoint
 * picked for the call, and what the call learned of that endpoint. {@link UpstreamCluster} is the
 * real one; tests drive calls through fakes without sockets.
 */
public interface CallCluster {
  String name();

  /** Whether the endpoints speak HTTP/1.1, which cannot carry gRPC (it needs trailers). */
  boolean isHttp1();

  /** The cluster's cap on calls in flight; 0 for none. */
  int maxInFlight();

  /** How many more endpoints a call may try after a failure before any byte reached a backend. */
  int connectRetries();

  /** Takes one of the cluster's in-flight slots; false when all are taken. */
  boolean tryStartCall();

  /** Gives back the slot of {@link #tryStartCall}. */
  void callFinished();

  /**
   * Picks an endpoint for a call with {@code headers}, skipping those in {@code tried} (unless none
   * is left and {@code retryTried}); {@code null} when none is left.
   */
  CallEndpoint pick(
      Http2Headers headers, Collection<? extends CallEndpoint> tried, boolean retryTried);

  /**
   * A call on {@code e} got its whole answer, ending with {@code grpcStatus} ({@code -1}: none, as
   * for plain HTTP) and {@code httpStatus}: outlier detection counts it.
   */
  void recordResponse(CallEndpoint e, int grpcStatus, int httpStatus);

  /** A call on {@code e} failed without an answer: connect failure or reset. */
  void recordFailure(CallEndpoint e, UpstreamFailure failure);

  /**
   * How many endpoints the cluster has and what state each is in, for the detail of a call that
   * found none to take it; built only then.
   */
  default String describeEndpoints() {
    return "";
  }
}
