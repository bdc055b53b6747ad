package dev.ferry.proxy.config;

import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.ClusterConfig.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads one entry of {@code clusters:}: its endpoints, protocol, balancing and timeouts. */
final class ClusterReader {
  private static final String ENDPOINT = "host:port or { address: host:port, weight: 2 }";

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
            "max_in_flight");
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
    String scheme = endpoints == null ? null : scheme(m.get("endpoints"));
    if (scheme != null && !scheme.isEmpty()) {
      Protocol implied = scheme.equals("https") ? Protocol.HTTP1 : Protocol.H2;
      if (protocolValue != null && protocol != null && protocol != implied) {
        protocolValue.error(
            scheme
                + ":// endpoints speak "
                + (implied == Protocol.H2 ? "h2" : "http1")
                + ", not this");
        protocol = null;
      } else {
        protocol = implied;
      }
    }
    UpstreamTlsConfig tls = null;
    if (m.has("tls")) {
      tls = UpstreamTlsReader.read(m.get("tls"));
      if (tls == null) {
        return null;
      }
    } else if (scheme != null && !scheme.isEmpty()) {
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
        .build();
  }

  /**
   * The scheme all endpoints share: {@code grpcs} or {@code https}, empty for none, {@code null}
   * after reporting endpoints that disagree.
   */
  private static String scheme(YamlValue v) {
    String first = null;
    for (YamlValue item : v.list(ENDPOINT)) {
      YamlValue address =
          item.isMapping() ? item.mapping("address", "weight").get("address") : item;
      String s = address == null ? "" : schemeOf(address.string(ENDPOINT));
      if (first == null) {
        first = s;
      } else if (!first.equals(s)) {
        item.error(
            "all endpoints of a cluster use the same scheme (the first has '" + first + "')");
        return null;
      }
    }
    return first == null ? "" : first;
  }

  static String schemeOf(String endpoint) {
    if (endpoint == null) {
      return "";
    }
    if (endpoint.startsWith("grpcs://")) {
      return "grpcs";
    }
    if (endpoint.startsWith("https://")) {
      return "https";
    }
    return "";
  }

  private static String withoutScheme(String endpoint) {
    int i = endpoint.indexOf("://");
    return i < 0 || schemeOf(endpoint).isEmpty() ? endpoint : endpoint.substring(i + 3);
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
      }
    }
    return ok ? List.copyOf(endpoints) : null;
  }

  private static Endpoint endpoint(YamlValue item, BalancePolicy policy) {
    if (!item.isMapping()) {
      HostPort hp = item.parsed(ENDPOINT, s -> HostPort.parse(withoutScheme(s), 1));
      return hp == null ? null : new Endpoint(hp.host(), hp.port(), 1);
    }
    YamlMapping m = item.mapping("address", "weight");
    YamlValue address = m.require("address", HostPort.EXPECTED);
    HostPort hp =
        address == null
            ? null
            : address.parsed(HostPort.EXPECTED, s -> HostPort.parse(withoutScheme(s), 1));
    Integer weight = m.integer("weight", 1, 1_000_000, 1);
    if (m.has("weight") && policy != null && policy != BalancePolicy.WEIGHTED_ROUND_ROBIN) {
      m.get("weight")
          .error(
              "a weight only counts under balance: weighted_round_robin (this cluster uses "
                  + BalanceReader.name(policy)
                  + ")");
      return null;
    }
    return hp == null || weight == null ? null : new Endpoint(hp.host(), hp.port(), weight);
  }
}
