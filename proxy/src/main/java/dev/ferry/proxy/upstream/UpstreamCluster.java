package dev.ferry.proxy.upstream;

import dev.ferry.proxy.balance.Balancer;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.HealthCheckConfig;
import dev.ferry.proxy.config.ProtosetSchema;
import dev.ferry.proxy.health.OutlierDetector;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cluster as seen from one event loop: its endpoints' pools and its balancer's state; what the
 * loops share is in its {@link SharedCluster}.
 */
public final class UpstreamCluster implements CallCluster {
  private final ClusterConfig config;
  private final AtomicInteger inFlight;
  private final List<UpstreamEndpoint> endpoints;
  private final Balancer balancer;
  private final AsciiString hashHeader;
  private final boolean failClosed;
  private final OutlierDetector outlier;

  UpstreamCluster(SharedCluster shared, UpstreamConnector connector) {
    this.config = shared.config();
    this.inFlight = shared.inFlight();
    this.outlier = shared.outlier();
    List<UpstreamEndpoint> eps = new ArrayList<>(shared.addresses().size());
    for (EndpointAddress a : shared.addresses()) {
      eps.add(new UpstreamEndpoint(a, connector, shared.connect()));
    }
    this.endpoints = List.copyOf(eps);
    this.balancer = Balancer.create(config.balance(), connector.random(), shared.turns());
    this.hashHeader = config.hashHeader() == null ? null : AsciiString.of(config.hashHeader());
    this.failClosed =
        config.healthCheck() != null
            && config.healthCheck().panic() == HealthCheckConfig.Panic.CLOSED;
  }

  /**
   * Takes one of the cluster's {@code max_in_flight} slots; false when all are taken. A call that
   * got one gives it back with {@link #callFinished}.
   */
  @Override
  public boolean tryStartCall() {
    int max = config.maxInFlight();
    if (max <= 0) {
      return true;
    }
    if (inFlight.incrementAndGet() > max) {
      inFlight.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back the slot of {@link #tryStartCall}. */
  @Override
  public void callFinished() {
    if (config.maxInFlight() > 0) {
      inFlight.decrementAndGet();
    }
  }

  /** The cluster's cap on calls in flight; 0 for none. */
  @Override
  public int maxInFlight() {
    return config.maxInFlight();
  }

  /** The backends' schema from protoset files, or {@code null} when their reflection is asked. */
  public ProtosetSchema schema() {
    return config.schema();
  }

  @Override
  public String name() {
    return config.name();
  }

  /** Whether the endpoints speak HTTP/1.1, which cannot carry gRPC (it needs trailers). */
  @Override
  public boolean isHttp1() {
    return config.protocol() == ClusterConfig.Protocol.HTTP1;
  }

  /** This loop's endpoints, in the config's order. */
  public List<UpstreamEndpoint> endpoints() {
    return endpoints;
  }

  /** How many more endpoints a call may try after a failure before any byte reached a backend. */
  @Override
  public int connectRetries() {
    return config.connectRetries();
  }

  /**
   * Picks an endpoint for a call with {@code headers}, taking a turn of the balancer: never one in
   * {@code tried} while an untried one is left (then one of those only when {@code retryTried}),
   * and never one held down (failing its health checks, ejected, unresolved) while another is not;
   * {@code null} when none is left.
   */
  @Override
  public UpstreamEndpoint pick(
      Http2Headers headers, Collection<? extends CallEndpoint> tried, boolean retryTried) {
    List<UpstreamEndpoint> candidates = candidates(tried, retryTried);
    return candidates.isEmpty() ? null : balancer.pick(candidates, hashKey(headers));
  }

  /**
   * The endpoint the next call would get, for a request of the proxy's own (merged reflection): it
   * takes no turn, so the clients' calls keep alternating; {@code null} when there is none.
   */
  public UpstreamEndpoint pickWithoutTurn(Http2Headers headers) {
    List<UpstreamEndpoint> candidates = candidates(List.of(), false);
    return candidates.isEmpty() ? null : balancer.peek(candidates, hashKey(headers));
  }

  private CharSequence hashKey(Http2Headers headers) {
    return hashHeader == null ? null : headers.get(hashHeader);
  }

  private List<UpstreamEndpoint> candidates(
      Collection<? extends CallEndpoint> tried, boolean retryTried) {
    if (endpoints.isEmpty()) {
      return endpoints;
    }
    long now = System.nanoTime();
    List<UpstreamEndpoint> up = endpointsUp(now);
    List<UpstreamEndpoint> pool;
    if (up == null) {
      pool = endpoints; // the same list every time: weighted round robin keeps its state for it
    } else if (!up.isEmpty()) {
      pool = up;
    } else if (failClosed) {
      return List.of(); // panic: closed, so no endpoint that fails its checks gets a call
    } else {
      pool = endpoints; // panic: every endpoint is held down, so any may be tried
    }
    if (tried.isEmpty()) {
      return pool;
    }
    List<UpstreamEndpoint> untried = new ArrayList<>(pool.size());
    for (UpstreamEndpoint e : pool) {
      if (!tried.contains(e)) {
        untried.add(e);
      }
    }
    // A retry after an answer goes back to an endpoint that is up rather than to one held down.
    return !untried.isEmpty() ? untried : retryTried ? pool : List.of();
  }

  /**
   * The endpoints neither held down nor unresolved, or {@code null} when that is all of them: the
   * usual case, which every call meets, so it allocates nothing.
   */
  private List<UpstreamEndpoint> endpointsUp(long now) {
    List<UpstreamEndpoint> up = null;
    for (int i = 0; i < endpoints.size(); i++) {
      UpstreamEndpoint e = endpoints.get(i);
      boolean isUp = !excluded(e, now) && e.isResolved();
      if (!isUp && up == null) {
        up = new ArrayList<>(endpoints.subList(0, i));
      } else if (isUp && up != null) {
        up.add(e);
      }
    }
    return up;
  }

  private boolean excluded(UpstreamEndpoint e, long now) {
    return e.isEjected(now) || (outlier != null && outlier.isEjected(e.health()));
  }

  @Override
  public String describeEndpoints() {
    if (endpoints.isEmpty()) {
      return "the cluster has no endpoints (its names resolved to no address)";
    }
    long now = System.nanoTime();
    StringBuilder sb = new StringBuilder();
    sb.append(endpoints.size()).append(endpoints.size() == 1 ? " endpoint: " : " endpoints: ");
    for (int i = 0; i < endpoints.size(); i++) {
      UpstreamEndpoint e = endpoints.get(i);
      sb.append(i == 0 ? "" : ", ").append(e.name()).append(' ').append(state(e, now));
    }
    return sb.toString();
  }

  private String state(UpstreamEndpoint e, long now) {
    if (!e.isResolved()) {
      return "name not resolved";
    }
    if (!e.health().isHealthy()) {
      String why = e.health().lastFailure();
      return "unhealthy by health check" + (why == null ? "" : " (" + why + ")");
    }
    if (outlier != null && outlier.isEjected(e.health())) {
      long left = TimeUnit.NANOSECONDS.toMillis(e.health().ejectedUntil() - now);
      return "ejected by outlier detection" + (left > 0 ? " for " + left + "ms more" : "");
    }
    if (e.isEjected(now)) {
      return "held down after a refused connect";
    }
    return "available";
  }

  /** The cluster's outlier detection, shared by all loops, or {@code null} when it has none. */
  public OutlierDetector outlier() {
    return outlier;
  }

  /**
   * A call on {@code e} got its whole answer, ending with {@code grpcStatus} ({@code -1}: none, as
   * for plain HTTP) and {@code httpStatus}: outlier detection counts it.
   */
  @Override
  public void recordResponse(CallEndpoint e, int grpcStatus, int httpStatus) {
    if (outlier == null) {
      return;
    }
    boolean failed = grpcStatus >= 0 ? outlier.isFailure(grpcStatus) : httpStatus >= 500;
    if (failed) {
      outlier.failed(
          e.health(),
          e.name(),
          grpcStatus >= 0 ? "grpc-status " + grpcStatus : "HTTP " + httpStatus);
    } else {
      outlier.succeeded(e.health());
    }
  }

  /** A call on {@code e} failed without an answer: connect failure or reset. */
  @Override
  public void recordFailure(CallEndpoint e, UpstreamFailure failure) {
    if (outlier != null) {
      outlier.failed(e.health(), e.name(), failure.detail());
    }
  }

  /**
   * Closes every connection of this cluster on this loop; the calls still on them end for {@code
   * why} (a drain that ran out: {@link UpstreamFailure#draining}).
   */
  public void closeAll(UpstreamFailure why) {
    for (UpstreamEndpoint e : endpoints) {
      e.closeAll(why);
    }
  }
}
