package dev.ferry.proxy.xds;

import com.google.protobuf.Any;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.ClusterConfig.Protocol;
import dev.ferry.proxy.config.Endpoint;
import dev.ferry.proxy.config.HealthCheckConfig;
import dev.ferry.proxy.config.OutlierConfig;
import dev.ferry.proxy.config.UpstreamTlsConfig;
import dev.ferry.proxy.status.GrpcCode;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a CDS {@code Cluster} into ferry's cluster config: balancing, connect timeout, protocol,
 * upstream TLS, health checks, outlier detection and the request limit; its endpoints come from EDS
 * or, for static and DNS clusters, from its own {@code load_assignment}.
 */
final class ClusterTranslator {
  private static final String HTTP_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
  private static final String UPSTREAM_TLS =
      "type.googleapis.com/" + UpstreamTlsContext.getDescriptor().getFullName();

  /** Envoy counts a gRPC status as a 5xx by its HTTP mapping; so does ferry here. */
  private static final Set<Integer> FIVE_XX =
      Arrays.stream(GrpcCode.values())
          .filter(c -> c.httpStatus() >= 500)
          .map(GrpcCode::value)
          .collect(Collectors.toUnmodifiableSet());

  private ClusterTranslator() {}

  /**
   * A cluster as ferry runs it.
   *
   * @param edsName the EDS resource that holds its endpoints, or {@code null} when {@link
   *     #template} has them
   * @param template the cluster; for RING_HASH balanced round robin until the route's hash header
   *     is known ({@link #ringHash})
   * @param ringHash whether the cluster hashes the header a route's hash_policy names
   */
  record XdsCluster(String name, String edsName, ClusterConfig template, boolean ringHash) {}

  static XdsCluster translate(Cluster c) throws XdsRejection {
    String resource = XdsRejection.name("Cluster", c.getName());
    if (c.getClusterDiscoveryTypeCase() != Cluster.ClusterDiscoveryTypeCase.TYPE) {
      throw new XdsRejection(resource, "cluster_type", "extension cluster types not supported");
    }
    String edsName = null;
    List<Endpoint> endpoints = List.of();
    Duration dnsRefresh = Duration.ZERO;
    switch (c.getType()) {
      case EDS -> {
        String service = c.getEdsClusterConfig().getServiceName();
        edsName = service.isEmpty() ? c.getName() : service;
      }
      case STATIC, STRICT_DNS, LOGICAL_DNS -> {
        endpoints =
            EndpointTranslator.translate(
                c.getLoadAssignment(),
                resource + " load_assignment",
                c.getType() != Cluster.DiscoveryType.STATIC);
        if (c.getType() != Cluster.DiscoveryType.STATIC) {
          // ferry resolves host names itself, every dns_refresh_rate (Envoy's default: 5s).
          dnsRefresh =
              c.hasDnsRefreshRate()
                  ? Protos.duration(c.getDnsRefreshRate())
                  : Duration.ofSeconds(5);
        }
      }
      default ->
          throw new XdsRejection(
              resource,
              "type",
              c.getType() + " not supported (expected EDS, STATIC, STRICT_DNS or LOGICAL_DNS)");
    }
    if (c.hasLoadBalancingPolicy()) {
      throw new XdsRejection(resource, "load_balancing_policy", "not supported (use lb_policy)");
    }
    boolean ringHash = false;
    BalancePolicy balance =
        switch (c.getLbPolicy()) {
          // Envoy's round robin is weighted by load_balancing_weight.
          case ROUND_ROBIN -> BalancePolicy.WEIGHTED_ROUND_ROBIN;
          case LEAST_REQUEST -> BalancePolicy.LEAST_REQUEST;
          case RANDOM -> BalancePolicy.RANDOM;
          case RING_HASH -> {
            ringHash = true;
            yield BalancePolicy.WEIGHTED_ROUND_ROBIN;
          }
          default ->
              throw new XdsRejection(
                  resource,
                  "lb_policy",
                  c.getLbPolicy()
                      + " not supported (expected ROUND_ROBIN, LEAST_REQUEST, RING_HASH or RANDOM)");
        };
    ClusterConfig.Builder b =
        ClusterConfig.builder(c.getName(), endpoints)
            .balance(balance, null)
            .protocol(protocol(c, resource))
            .dnsRefresh(dnsRefresh)
            // Envoy tries again only when a retry policy says so.
            .connectRetries(0);
    if (c.hasConnectTimeout()) {
      b.connectTimeout(Protos.duration(c.getConnectTimeout()));
    }
    if (c.hasTransportSocket()) {
      b.tls(tls(c.getTransportSocket().getTypedConfig(), resource));
    }
    if (c.getHealthChecksCount() > 1) {
      throw new XdsRejection(resource, "health_checks", "more than one not supported");
    }
    if (c.getHealthChecksCount() == 1) {
      b.healthCheck(healthCheck(c.getHealthChecks(0), resource));
    }
    if (c.hasOutlierDetection()) {
      b.outlierDetection(outliers(c.getOutlierDetection()));
    }
    if (c.hasCircuitBreakers()) {
      b.maxInFlight(maxRequests(c.getCircuitBreakers()));
    }
    return new XdsCluster(c.getName(), edsName, b.build(), ringHash);
  }

  /** Envoy speaks HTTP/1.1 to a cluster unless its protocol options say HTTP/2. */
  @SuppressWarnings("deprecation")
  private static Protocol protocol(Cluster c, String resource) throws XdsRejection {
    Map<String, Any> options = c.getTypedExtensionProtocolOptionsMap();
    Any any = options.get(HTTP_OPTIONS);
    if (any != null) {
      HttpProtocolOptions o = ListenerTranslator.unpack(any, HttpProtocolOptions.class, resource);
      String at = "typed_extension_protocol_options[" + HTTP_OPTIONS + "]";
      if (o.getUpstreamProtocolOptionsCase()
          != HttpProtocolOptions.UpstreamProtocolOptionsCase.EXPLICIT_HTTP_CONFIG) {
        throw new XdsRejection(
            resource,
            at + "." + o.getUpstreamProtocolOptionsCase().name().toLowerCase(),
            "not supported (expected explicit_http_config)");
      }
      return switch (o.getExplicitHttpConfig().getProtocolConfigCase()) {
        case HTTP2_PROTOCOL_OPTIONS -> Protocol.H2;
        case HTTP_PROTOCOL_OPTIONS -> Protocol.HTTP1;
        default ->
            throw new XdsRejection(
                resource,
                at + ".explicit_http_config",
                "expected http2_protocol_options or http_protocol_options");
      };
    }
    return c.hasHttp2ProtocolOptions() ? Protocol.H2 : Protocol.HTTP1;
  }

  /** Certificates and CAs from files; without a validation context, the JDK's trusted CAs. */
  private static UpstreamTlsConfig tls(Any typed, String resource) throws XdsRejection {
    String at = "transport_socket";
    if (!typed.getTypeUrl().equals(UPSTREAM_TLS)) {
      throw new XdsRejection(resource, at, "expected an UpstreamTlsContext");
    }
    UpstreamTlsContext u = ListenerTranslator.unpack(typed, UpstreamTlsContext.class, resource);
    CommonTlsContext common = u.getCommonTlsContext();
    Path ca = null;
    if (common.hasValidationContext()) {
      String file = common.getValidationContext().getTrustedCa().getFilename();
      if (file.isEmpty()) {
        throw new XdsRejection(
            resource,
            at + ".common_tls_context.validation_context.trusted_ca",
            "expected a filename (inline bytes and SDS not supported)");
      }
      ca = Path.of(file);
    } else if (common.getValidationContextTypeCase()
        != CommonTlsContext.ValidationContextTypeCase.VALIDATIONCONTEXTTYPE_NOT_SET) {
      throw new XdsRejection(
          resource, at + ".common_tls_context", "only validation_context is supported");
    }
    Path cert = null;
    Path key = null;
    if (common.getTlsCertificatesCount() > 1) {
      throw new XdsRejection(
          resource, at + ".common_tls_context.tls_certificates", "at most one supported");
    }
    if (common.getTlsCertificatesCount() == 1) {
      String chain = common.getTlsCertificates(0).getCertificateChain().getFilename();
      String pk = common.getTlsCertificates(0).getPrivateKey().getFilename();
      if (chain.isEmpty() || pk.isEmpty()) {
        throw new XdsRejection(
            resource,
            at + ".common_tls_context.tls_certificates[0]",
            "certificate_chain and private_key must be filenames");
      }
      cert = Path.of(chain);
      key = Path.of(pk);
    }
    String sni = u.getSni().isEmpty() ? null : u.getSni();
    return new UpstreamTlsConfig(ca, sni, cert, key, false);
  }

  private static HealthCheckConfig healthCheck(HealthCheck h, String resource) throws XdsRejection {
    String at = "health_checks[0]";
    if (!h.hasTimeout() || !h.hasInterval()) {
      throw new XdsRejection(resource, at, "timeout and interval are required");
    }
    String service = "";
    String authority = null;
    String path = null;
    switch (h.getHealthCheckerCase()) {
      case GRPC_HEALTH_CHECK -> {
        service = h.getGrpcHealthCheck().getServiceName();
        authority =
            h.getGrpcHealthCheck().getAuthority().isEmpty()
                ? null
                : h.getGrpcHealthCheck().getAuthority();
      }
      case HTTP_HEALTH_CHECK -> {
        path = h.getHttpHealthCheck().getPath();
        authority =
            h.getHttpHealthCheck().getHost().isEmpty() ? null : h.getHttpHealthCheck().getHost();
      }
      default ->
          throw new XdsRejection(
              resource,
              at + "." + h.getHealthCheckerCase().name().toLowerCase(),
              "not supported (expected grpc_health_check or http_health_check)");
    }
    int healthy = h.hasHealthyThreshold() ? h.getHealthyThreshold().getValue() : 1;
    int unhealthy = h.hasUnhealthyThreshold() ? h.getUnhealthyThreshold().getValue() : 1;
    if (healthy < 1 || unhealthy < 1) {
      throw new XdsRejection(resource, at + ".healthy/unhealthy_threshold", "expected >= 1");
    }
    return new HealthCheckConfig(
        Protos.duration(h.getInterval()),
        Protos.duration(h.getTimeout()),
        healthy,
        unhealthy,
        Math.min(100, h.getIntervalJitterPercent()),
        service,
        authority,
        path,
        HealthCheckConfig.Panic.OPEN);
  }

  /** Envoy's defaults where a field is left out: 5 in a row, 30s, 300s, 10%. */
  private static OutlierConfig outliers(OutlierDetection o) {
    return new OutlierConfig(
        o.hasConsecutive5Xx() ? o.getConsecutive5Xx().getValue() : 5,
        FIVE_XX,
        o.hasBaseEjectionTime() ? Protos.duration(o.getBaseEjectionTime()) : Duration.ofSeconds(30),
        o.hasMaxEjectionTime() ? Protos.duration(o.getMaxEjectionTime()) : Duration.ofSeconds(300),
        o.hasMaxEjectionPercent() ? o.getMaxEjectionPercent().getValue() : 10);
  }

  /** The default priority's {@code max_requests}; 0 (no limit) when not given. */
  private static int maxRequests(CircuitBreakers cb) {
    for (CircuitBreakers.Thresholds t : cb.getThresholdsList()) {
      if (t.getPriority() == RoutingPriority.DEFAULT && t.hasMaxRequests()) {
        return t.getMaxRequests().getValue();
      }
    }
    return 0;
  }
}
