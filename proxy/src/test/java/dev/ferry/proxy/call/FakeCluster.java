package dev.ferry.proxy.call;

import dev.ferry.proxy.health.EndpointHealth;
import dev.ferry.proxy.upstream.CallCluster;
import dev.ferry.proxy.upstream.CallEndpoint;
import dev.ferry.proxy.upstream.ConnectCallback;
import dev.ferry.proxy.upstream.UpstreamFailure;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A cluster of fake endpoints: picks them in order, counts its in-flight slots, notes what calls
 * told it. Each endpoint answers an acquire the way the test set: a ready connection, a failure, or
 * not yet.
 */
final class FakeCluster implements CallCluster {
  final String name;
  final List<Endpoint> endpoints = new ArrayList<>();
  final List<String> failures = new ArrayList<>();
  final List<Integer> responses = new ArrayList<>();
  boolean http1;
  boolean full;
  int connectRetries;
  int slotsTaken;

  FakeCluster(String name, EmbeddedChannel channel, int endpointCount) {
    this.name = name;
    for (int i = 1; i <= endpointCount; i++) {
      endpoints.add(new Endpoint("10.0.0." + i + ":50051", channel));
    }
  }

  Endpoint endpoint(int i) {
    return endpoints.get(i);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean isHttp1() {
    return http1;
  }

  @Override
  public int maxInFlight() {
    return 1;
  }

  @Override
  public int connectRetries() {
    return connectRetries;
  }

  @Override
  public boolean tryStartCall() {
    if (full) {
      return false;
    }
    slotsTaken++;
    return true;
  }

  @Override
  public void callFinished() {
    slotsTaken--;
  }

  @Override
  public CallEndpoint pick(
      Http2Headers headers, Collection<? extends CallEndpoint> tried, boolean retryTried) {
    for (Endpoint e : endpoints) {
      if (!tried.contains(e)) {
        return e;
      }
    }
    return retryTried && !endpoints.isEmpty() ? endpoints.get(0) : null;
  }

  @Override
  public void recordResponse(CallEndpoint e, int grpcStatus, int httpStatus) {
    responses.add(grpcStatus);
  }

  @Override
  public void recordFailure(CallEndpoint e, UpstreamFailure failure) {
    failures.add(e.name() + ": " + failure.detail());
  }

  /** One fake endpoint with its one fake connection. */
  static final class Endpoint implements CallEndpoint {
    private final String name;
    private final EndpointHealth health = new EndpointHealth();
    final FakeUpstream upstream;
    UpstreamFailure failWith; // answers acquire with this failure, when set
    boolean park; // keeps the callback of acquire, for the test to answer later
    ConnectCallback parked;
    int inFlight;
    int acquires;

    Endpoint(String name, EmbeddedChannel channel) {
      this.name = name;
      this.upstream = new FakeUpstream(channel, name);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void callStarted() {
      inFlight++;
    }

    @Override
    public void callEnded() {
      inFlight--;
    }

    @Override
    public void acquire(ConnectCallback cb) {
      acquires++;
      if (park) {
        parked = cb;
      } else if (failWith != null) {
        cb.onConnectFailed(failWith);
      } else {
        cb.onUpstreamReady(upstream);
      }
    }

    @Override
    public EndpointHealth health() {
      return health;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
