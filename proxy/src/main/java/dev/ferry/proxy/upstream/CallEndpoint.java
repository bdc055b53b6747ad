package dev.ferry.proxy.upstream;

import dev.ferry.proxy.health.EndpointHealth;

/**
 * An endpoint as one call uses it on its event loop: counted while it carries the call, asked for a
 * connection. {@link UpstreamEndpoint} is the real one; tests drive calls through fakes.
 */
public interface CallEndpoint {
  /** The endpoint's name for logs and messages: {@code 127.0.0.1:50052}. */
  String name();

  /** A call starts using this endpoint. */
  void callStarted();

  /** A call stops using this endpoint. */
  void callEnded();

  /** Finds or opens a connection that can take one more stream, and hands it to {@code cb}. */
  void acquire(ConnectCallback cb);

  /** What health checks and outlier detection concluded, shared with the other loops. */
  EndpointHealth health();
}
