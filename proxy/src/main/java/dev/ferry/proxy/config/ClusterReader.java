package dev.ferry.proxy.config;

import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.ClusterConfig.Protocol;
import dev.ferry.proxy.config.EndpointUri.Scheme;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads one entry of {@code clusters:}: its endpoints, protocol, balancing and timeouts. */
final class ClusterReader {
  private static final String ENDPOINT =
      "[scheme://]host:port or { address: [scheme://]host:port, weight: 2 }";

  private ClusterReader() {}

  /** The cluster, or {@code null} when it had errors (all of them reported). */
  static ClusterConfig read(String name, YamlValue value) {
    YamlMapping m =
        value.mapping(
            "endpoints",
            "balance",
            "protocol",
            "connect_timeout",
            "connect_retries",
            "dns_refresh",
            "health_check",
            "outlier_detection",
            "tls",
            "max_in_flight",
            "schema");
    if (m == null) {
      return null;
    }
    YamlValue balanceValue = m.get("balance");
    BalanceReader.Balance balance =
        balanceValue == null
            ? new BalanceReader.Balance(ConfigDefaults.BALANCE, null)
            : BalanceReader.read(balanceValue);
    YamlValue protocolValue = m.get("protocol");
    Protocol protocol = protocolValue == null ? ConfigDefaults.PROTOCOL : protocol(protocolValue);
    List<Endpoint> endpoints =
        endpoints(
            m.require("endpoints", "a list of " + ENDPOINT),
            balance == null ? null : balance.policy());
    Duration connectTimeout = m.duration("connect_timeout", false, ConfigDefaults.CONNECT_TIMEOUT);
    Integer retries = m.integer("connect_retries", 0, 100, ConfigDefaults.CONNECT_RETRIES);
    Duration dnsRefresh = m.duration("dns_refresh", false, ConfigDefaults.DNS_REFRESH);
    Integer maxInFlightValue = m.integer("max_in_flight", 1, Integer.MAX_VALUE, 0);
    if (maxInFlightValue == null) {
      return null;
    }
    int maxInFlight = maxInFlightValue;
    Scheme scheme = endpoints == null ? null : scheme(m.get("endpoints"));
    if (scheme != null && scheme.protocol() != null) {
      // The scheme settles the protocol, as a URL does; a protocol: saying otherwise is a mistake
      // worth pointing at rather than a choice between two readings.
      Protocol implied = scheme.protocol();
      if (protocolValue != null && protocol != null && protocol != implied) {
        protocolValue.error(
            scheme.prefix()
                + " endpoints speak "
                + (implied == Protocol.H2 ? "h2" : "http1")
                + ", not "
                + (protocol == Protocol.H2 ? "h2" : "http1"));
        protocol = null;
      } else {
        protocol = implied;
      }
    }
    UpstreamTlsConfig tls = null;
    if (m.has("tls")) {
      if (scheme == Scheme.HTTP) {
        m.get("tls").error("http:// endpoints are plaintext; use https:// for TLS");
        return null;
      }
      tls = UpstreamTlsReader.read(m.get("tls"));
      if (tls == null) {
        return null;
      }
    } else if (scheme != null && scheme.tls()) {
      tls = UpstreamTlsConfig.DEFAULT;
    }
    HealthCheckConfig healthCheck = null;
    boolean healthOk = true;
    if (m.has("health_check") && protocol != null) {
      healthCheck = HealthCheckReader.read(m.get("health_check"), protocol);
      healthOk = healthCheck != null;
    }
    OutlierConfig outlier = null;
    if (m.has("outlier_detection")) {
      outlier = OutlierReader.read(m.get("outlier_detection"));
      healthOk &= outlier != null;
    }
    ProtosetSchema schema = null;
    if (m.has("schema")) {
      schema = ProtosetReader.read(m.get("schema"));
      healthOk &= schema != null;
    }
    if (!healthOk
        || balance == null
        || protocol == null
        || endpoints == null
        || connectTimeout == null
        || retries == null
        || dnsRefresh == null) {
      return null;
    }
    return ClusterConfig.builder(name, endpoints)
        .protocol(protocol)
        .balance(balance.policy(), balance.hashHeader())
        .connectTimeout(connectTimeout)
        .connectRetries(retries)
        .dnsRefresh(dnsRefresh)
        .healthCheck(healthCheck)
        .outlierDetection(outlier)
        .tls(tls)
        .maxInFlight(maxInFlight)
        .schema(schema)
        .build();
  }

  /**
   * The scheme all endpoints share, {@code null} after reporting endpoints that disagree (or whose
   * address has errors, reported where the endpoints are read).
   */
  private static Scheme scheme(YamlValue v) {
    Scheme first = null;
    for (YamlValue item : v.list(ENDPOINT)) {
      YamlValue address =
          item.isMapping() ? item.mapping("address", "weight").get("address") : item;
      Scheme s = address == null ? Scheme.NONE : schemeOf(address.string(ENDPOINT));
      if (s == null) {
        return null;
      }
      if (first == null) {
        first = s;
      } else if (first != s) {
        item.error(
            "all endpoints of a cluster use the same scheme (the first has "
                + (first == Scheme.NONE
                    ? "none"
                    : "'" + first.name().toLowerCase(Locale.ROOT) + "'")
                + ")");
        return null;
      }
    }
    return first == null ? Scheme.NONE : first;
  }

  private static Scheme schemeOf(String endpoint) {
    if (endpoint == null) {
      return Scheme.NONE;
    }
    try {
      return EndpointUri.parse(endpoint).scheme();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static Protocol protocol(YamlValue v) {
    String s = v.nonEmptyString("h2 or http1");
    if (s == null) {
      return null;
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "h2" -> Protocol.H2;
      case "http1" -> Protocol.HTTP1;
      default -> {
        v.error("unknown protocol '" + s + "'" + DidYouMean.hint(s, List.of("h2", "http1")));
        yield null;
      }
    };
  }

  /** The endpoints; weights only where the policy uses them ({@code policy} null: unknown). */
  private static List<Endpoint> endpoints(YamlValue v, BalancePolicy policy) {
    if (v == null) {
      return null;
    }
    List<YamlValue> items = v.list(ENDPOINT);
    if (items == null) {
      return null;
    }
    if (items.isEmpty()) {
      v.error("expected at least one endpoint (" + ENDPOINT + ")");
      return null;
    }
    List<Endpoint> endpoints = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean ok = true;
    for (YamlValue item : items) {
      Endpoint e = endpoint(item, policy);
      if (e == null) {
        ok = false;
      } else if (!seen.add(e.toString())) {
        item.error("endpoint " + e + " is listed twice");
        ok = false;
      } else {
        endpoints.add(e);
        if (item.errors().wantsWarnings() && e.socket() == null) {
          warnIfUnresolved(item, e.host());
        }
      }
    }
    return ok ? List.copyOf(endpoints) : null;
  }

  /**
   * A host name that does not resolve now is no error: the proxy starts, leaves the endpoint out
   * and tries again every dns_refresh, and the name may exist by then. But the user should know.
   */
  private static void warnIfUnresolved(YamlValue item, String host) {
    try {
      InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      item.warning(
          "host name '"
              + host
              + "' does not resolve now; the endpoint gets no calls until it does"
              + " (looked up again every dns_refresh)");
    }
  }

  private static Endpoint endpoint(YamlValue item, BalancePolicy policy) {
    if (!item.isMapping()) {
      EndpointUri uri = item.parsed(ENDPOINT, EndpointUri::parse);
      return uri == null ? null : uri.endpoint(1);
    }
    YamlMapping m = item.mapping("address", "weight");
    YamlValue address = m.require("address", EndpointUri.EXPECTED);
    EndpointUri uri =
        address == null ? null : address.parsed(EndpointUri.EXPECTED, EndpointUri::parse);
    Integer weight = m.integer("weight", 1, 1_000_000, 1);
    if (m.has("weight") && policy != null && policy != BalancePolicy.WEIGHTED_ROUND_ROBIN) {
      m.get("weight")
          .error(
              "a weight only counts under balance: weighted_round_robin (this cluster uses "
                  + BalanceReader.name(policy)
                  + ")");
      return null;
    }
    return uri == null || weight == null ? null : uri.endpoint(weight);
  }
}
