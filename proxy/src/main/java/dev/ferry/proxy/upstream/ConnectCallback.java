package dev.ferry.proxy.upstream;

/** Hears whether a call got a connection to the endpoint it picked. */
public interface ConnectCallback {
  /** The connection is ready; try {@link Upstream#open} on it. */
  void onUpstreamReady(Upstream upstream);

  /** No connection could be made; {@code failure} says why. */
  void onConnectFailed(UpstreamFailure failure);
}
