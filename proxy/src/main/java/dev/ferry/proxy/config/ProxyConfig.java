package dev.ferry.proxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The whole, validated configuration of {@code ferry serve}: what the data path runs on. Every
 * reference in it resolves (a route's cluster exists), so the data path never checks again.
 *
 * @param listeners where clients connect, each with its routes
 * @param clusters the upstream clusters by name
 * @param accessLog where call lines go, or {@code null} when off
 * @param drainTimeout how long in-flight calls may run on after a shutdown begins
 * @param admin the admin listener, or {@code null} when off
 * @param xds the control plane whose listeners, routes and clusters are added to these, or {@code
 *     null} when every resource is here
 */
public record ProxyConfig(
    List<ListenerConfig> listeners,
    Map<String, ClusterConfig> clusters,
    AccessLogConfig accessLog,
    Duration drainTimeout,
    AdminConfig admin,
    XdsConfig xds) {

  /** Checks what the data path relies on: the loader fills every default. */
  public ProxyConfig {
    Objects.requireNonNull(drainTimeout, "drainTimeout");
  }

  /** A configuration of static resources only. */
  public ProxyConfig(
      List<ListenerConfig> listeners,
      Map<String, ClusterConfig> clusters,
      AccessLogConfig accessLog,
      Duration drainTimeout,
      AdminConfig admin) {
    this(listeners, clusters, accessLog, drainTimeout, admin, null);
  }

  /** A configuration without an admin listener. */
  public ProxyConfig(
      List<ListenerConfig> listeners,
      Map<String, ClusterConfig> clusters,
      AccessLogConfig accessLog,
      Duration drainTimeout) {
    this(listeners, clusters, accessLog, drainTimeout, null);
  }

  /** This configuration with the admin listener {@code admin} ({@code null}: none). */
  public ProxyConfig withAdmin(AdminConfig admin) {
    return new ProxyConfig(listeners, clusters, accessLog, drainTimeout, admin, xds);
  }
}
