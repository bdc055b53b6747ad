package dev.ferry.proxy.config;

import java.time.Duration;
import java.util.List;

/**
 * A set of interchangeable upstream endpoints and how calls are spread over them.
 *
 * @param name the cluster's name, as routes refer to it
 * @param endpoints the endpoints; host names are resolved by DNS and re-resolved every {@link
 *     #dnsRefresh}
 * @param protocol how ferry speaks to the endpoints
 * @param balance how each call picks an endpoint
 * @param hashHeader for {@link BalancePolicy#RING_HASH}: the request header whose value is hashed
 * @param connectTimeout how long a connection attempt to an endpoint may take
 * @param connectRetries how many more endpoints a call tries when it failed before any byte reached
 *     a backend (nginx's {@code grpc_next_upstream error})
 * @param dnsRefresh how often host names are resolved again
 * @param healthCheck active health checks, or {@code null} for none
 * @param outlierDetection passive outlier detection, or {@code null} for none
 * @param tls TLS towards the endpoints, or {@code null} for plaintext
 * @param maxInFlight calls the cluster may have in flight over all event loops; beyond, calls fail
 *     at once with UNAVAILABLE instead of queueing; 0 for no limit
 */
public record ClusterConfig(
    String name,
    List<Endpoint> endpoints,
    Protocol protocol,
    BalancePolicy balance,
    String hashHeader,
    Duration connectTimeout,
    int connectRetries,
    Duration dnsRefresh,
    HealthCheckConfig healthCheck,
    OutlierConfig outlierDetection,
    UpstreamTlsConfig tls,
    int maxInFlight) {

  /** A plaintext cluster without active health checks, outlier detection or in-flight cap. */
  public ClusterConfig(
      String name,
      List<Endpoint> endpoints,
      Protocol protocol,
      BalancePolicy balance,
      String hashHeader,
      Duration connectTimeout,
      int connectRetries,
      Duration dnsRefresh) {
    this(
        name,
        endpoints,
        protocol,
        balance,
        hashHeader,
        connectTimeout,
        connectRetries,
        dnsRefresh,
        null,
        null,
        null,
        0);
  }

  /** A plaintext cluster without an in-flight cap. */
  public ClusterConfig(
      String name,
      List<Endpoint> endpoints,
      Protocol protocol,
      BalancePolicy balance,
      String hashHeader,
      Duration connectTimeout,
      int connectRetries,
      Duration dnsRefresh,
      HealthCheckConfig healthCheck,
      OutlierConfig outlierDetection) {
    this(
        name,
        endpoints,
        protocol,
        balance,
        hashHeader,
        connectTimeout,
        connectRetries,
        dnsRefresh,
        healthCheck,
        outlierDetection,
        null,
        0);
  }

  /** A cluster with TLS and no health checks, outlier detection or in-flight cap. */
  public ClusterConfig(
      String name,
      List<Endpoint> endpoints,
      Protocol protocol,
      BalancePolicy balance,
      String hashHeader,
      Duration connectTimeout,
      int connectRetries,
      Duration dnsRefresh,
      UpstreamTlsConfig tls) {
    this(
        name,
        endpoints,
        protocol,
        balance,
        hashHeader,
        connectTimeout,
        connectRetries,
        dnsRefresh,
        null,
        null,
        tls,
        0);
  }

  /** A cluster with TLS ({@code null}: plaintext) and an in-flight cap (0: none). */
  public ClusterConfig(
      String name,
      List<Endpoint> endpoints,
      Protocol protocol,
      BalancePolicy balance,
      String hashHeader,
      Duration connectTimeout,
      int connectRetries,
      Duration dnsRefresh,
      UpstreamTlsConfig tls,
      int maxInFlight) {
    this(
        name,
        endpoints,
        protocol,
        balance,
        hashHeader,
        connectTimeout,
        connectRetries,
        dnsRefresh,
        null,
        null,
        tls,
        maxInFlight);
  }

  /** This cluster with {@code healthCheck} ({@code null}: none). */
  public ClusterConfig withHealthCheck(HealthCheckConfig healthCheck) {
    return new ClusterConfig(
        name,
        endpoints,
        protocol,
        balance,
        hashHeader,
        connectTimeout,
        connectRetries,
        dnsRefresh,
        healthCheck,
        outlierDetection,
        tls,
        maxInFlight);
  }

  /** This cluster with {@code outlierDetection} ({@code null}: none). */
  public ClusterConfig withOutlierDetection(OutlierConfig outlierDetection) {
    return new ClusterConfig(
        name,
        endpoints,
        protocol,
        balance,
        hashHeader,
        connectTimeout,
        connectRetries,
        dnsRefresh,
        healthCheck,
        outlierDetection,
        tls,
        maxInFlight);
  }

  /** This cluster with TLS ({@code null}: plaintext) and an in-flight cap (0: none). */
  public ClusterConfig withTls(UpstreamTlsConfig tls, int maxInFlight) {
    return new ClusterConfig(
        name,
        endpoints,
        protocol,
        balance,
        hashHeader,
        connectTimeout,
        connectRetries,
        dnsRefresh,
        healthCheck,
        outlierDetection,
        tls,
        maxInFlight);
  }

  /** The wire protocol towards the endpoints. */
  public enum Protocol {
    /** HTTP/2 (h2c with prior knowledge, or TLS with ALPN h2): gRPC backends. */
    H2,
    /** HTTP/1.1: REST backends; HTTP/2 requests are translated. */
    HTTP1
  }

  /** How a call picks an endpoint. */
  public enum BalancePolicy {
    ROUND_ROBIN,
    /** Weighted round robin: each endpoint's {@link Endpoint#weight} counts. */
    WEIGHTED_ROUND_ROBIN,
    /** Power of two random choices over in-flight streams. */
    LEAST_REQUEST,
    RANDOM,
    /** Consistent hashing of {@link ClusterConfig#hashHeader}'s value: sticky per key. */
    RING_HASH
  }
}
