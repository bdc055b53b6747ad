package dev.ferry.proxy.admin;

import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.metrics.EndpointStats;
import dev.ferry.proxy.metrics.ProxyMeters;
import java.net.InetSocketAddress;
import java.util.List;

/** What the admin listener can see and do of a running proxy. */
public interface AdminView {
  /** The proxy's metrics. */
  ProxyMeters meters();

  /** Every endpoint of every cluster, in the config's order, sampled now. */
  List<EndpointStats> endpointStats();

  /** The addresses the listeners are bound to, in the config's order (port 0 resolved). */
  List<InetSocketAddress> listenerAddresses();

  /** The configuration the proxy runs on now. */
  ProxyConfig config();

  /** Whether the proxy takes new calls: serving, and neither draining nor stopping. */
  boolean ready();

  /** Starts draining: readiness fails, clients get GOAWAY and in-flight calls finish. */
  void drain();
}
