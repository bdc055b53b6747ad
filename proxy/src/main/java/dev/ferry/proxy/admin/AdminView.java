package dev.ferry.proxy.admin;

import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.metrics.EndpointStats;
import dev.ferry.proxy.metrics.ProxyMeters;
import dev.ferry.proxy.reload.SourceStatus;
import java.net.SocketAddress;
import java.util.List;

/** What the admin listener can see and do of a running proxy. */
public interface AdminView {
  /** The proxy's metrics. */
  ProxyMeters meters();

  /** Every endpoint of every cluster, in the config's order, sampled now. */
  List<EndpointStats> endpointStats();

  /**
   * The addresses the listeners are bound to, in the config's order (port 0 resolved; a Unix
   * socket's file).
   */
  List<SocketAddress> listenerAddresses();

  /** The configuration the proxy runs on now. */
  ProxyConfig config();

  /** Where the configuration comes from, and each resource's version. */
  SourceStatus source();

  /**
   * Why the proxy should not get new calls (draining, or no configuration from its control plane),
   * or {@code null} when it is ready.
   */
  String notReady();

  /** Starts draining: readiness fails, clients get GOAWAY and in-flight calls finish. */
  void drain();
}
