package dev.ferry.proxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A set of interchangeable upstream endpoints and how calls are spread over them, as configured (a
 * {@code clusters:} entry or a {@code --route}); the running cluster is a {@code SharedCluster}
 * and, on each event loop, an {@code UpstreamCluster}.
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
 * @param dnsRefresh how often host names are resolved again; zero for never
 * @param healthCheck active health checks, or {@code null} for none
 * @param outlierDetection passive outlier detection, or {@code null} for none
 * @param tls TLS towards the endpoints, or {@code null} for plaintext
 * @param maxInFlight calls the cluster may have in flight over all event loops; beyond, calls fail
 *     at once with UNAVAILABLE instead of queueing; 0 for no limit
 * @param schema the schema of the backends' services from protoset files, or {@code null} to ask
 *     their server reflection (for Connect JSON and HTTP/JSON transcoding)
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
    int maxInFlight,
    ProtosetSchema schema) {

  /**
   * Checks what the data path relies on: the loader and {@link Builder} fill every default, so
   * nothing downstream applies one again.
   */
  public ClusterConfig {
    Objects.requireNonNull(name, "name");
    endpoints = List.copyOf(endpoints);
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(balance, "balance");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(dnsRefresh, "dnsRefresh");
    if (connectRetries < 0) {
      throw new IllegalArgumentException("connectRetries: " + connectRetries + " (expected: >= 0)");
    }
    if (maxInFlight < 0) {
      throw new IllegalArgumentException("maxInFlight: " + maxInFlight + " (expected: >= 0)");
    }
    if (balance == BalancePolicy.RING_HASH && hashHeader == null) {
      throw new IllegalArgumentException("hashHeader: null (expected: a header for ring_hash)");
    }
  }

  /** A cluster named {@code name} over {@code endpoints}, every other field at its default. */
  public static Builder builder(String name, List<Endpoint> endpoints) {
    return new Builder(name, endpoints);
  }

  /** A builder holding this cluster's values, to change some of them. */
  public Builder toBuilder() {
    return new Builder(name, endpoints)
        .protocol(protocol)
        .balance(balance, hashHeader)
        .connectTimeout(connectTimeout)
        .connectRetries(connectRetries)
        .dnsRefresh(dnsRefresh)
        .healthCheck(healthCheck)
        .outlierDetection(outlierDetection)
        .tls(tls)
        .maxInFlight(maxInFlight)
        .schema(schema);
  }

  /**
   * Builds a {@link ClusterConfig}, starting from {@link ConfigDefaults}: the one place where a
   * cluster's defaults are applied, for the YAML reader, the flags and code alike.
   */
  public static final class Builder {
    private final String name;
    private final List<Endpoint> endpoints;
    private Protocol protocol = ConfigDefaults.PROTOCOL;
    private BalancePolicy balance = ConfigDefaults.BALANCE;
    private String hashHeader;
    private Duration connectTimeout = ConfigDefaults.CONNECT_TIMEOUT;
    private int connectRetries = ConfigDefaults.CONNECT_RETRIES;
    private Duration dnsRefresh = ConfigDefaults.DNS_REFRESH;
    private HealthCheckConfig healthCheck;
    private OutlierConfig outlierDetection;
    private UpstreamTlsConfig tls;
    private int maxInFlight;
    private ProtosetSchema schema;

    private Builder(String name, List<Endpoint> endpoints) {
      this.name = name;
      this.endpoints = endpoints;
    }

    public Builder protocol(Protocol protocol) {
      this.protocol = protocol;
      return this;
    }

    /**
     * The policy, and for {@link BalancePolicy#RING_HASH} the hashed header ({@code null} else).
     */
    public Builder balance(BalancePolicy balance, String hashHeader) {
      this.balance = balance;
      this.hashHeader = hashHeader;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder connectRetries(int connectRetries) {
      this.connectRetries = connectRetries;
      return this;
    }

    /** How often host names are resolved again; zero for never. */
    public Builder dnsRefresh(Duration dnsRefresh) {
      this.dnsRefresh = dnsRefresh;
      return this;
    }

    /** Active health checks; {@code null} for none. */
    public Builder healthCheck(HealthCheckConfig healthCheck) {
      this.healthCheck = healthCheck;
      return this;
    }

    /** Passive outlier detection; {@code null} for none. */
    public Builder outlierDetection(OutlierConfig outlierDetection) {
      this.outlierDetection = outlierDetection;
      return this;
    }

    /** TLS towards the endpoints; {@code null} for plaintext. */
    public Builder tls(UpstreamTlsConfig tls) {
      this.tls = tls;
      return this;
    }

    /** Calls in flight over all event loops; 0 for no limit. */
    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = maxInFlight;
      return this;
    }

    /** The services' schema from protoset files; {@code null} to ask server reflection. */
    public Builder schema(ProtosetSchema schema) {
      this.schema = schema;
      return this;
    }

    public ClusterConfig build() {
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
          maxInFlight,
          schema);
    }
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
