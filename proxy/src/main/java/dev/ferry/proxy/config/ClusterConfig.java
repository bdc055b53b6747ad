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
    OutlierConfig outlierDetection) {

  /** A cluster without active health checks or outlier detection. */
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
        null);
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
        outlierDetection);
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
        outlierDetection);
  }

  /** The wire protocol towards the endpoints. */
  public enum Protocol {
    /** HTTP/2 without TLS (h2c with prior knowledge): gRPC backends. */
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
