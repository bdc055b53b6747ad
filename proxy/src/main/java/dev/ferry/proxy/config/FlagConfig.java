package dev.ferry.proxy.config;

import dev.ferry.proxy.config.AccessLogConfig.Format;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.ClusterConfig.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The flag form of the configuration, for the simple case: {@code --listen 127.0.0.1:8080 --route
 * helloworld.Greeter=127.0.0.1:50051 --route /=http://127.0.0.1:8000}, turned into the same model
 * as the YAML file.
 *
 * <p>A route's left side is a gRPC service ({@code helloworld.Greeter}), a method ({@code
 * helloworld.Greeter/SayHello}) or, starting with {@code /}, a path prefix; its right side is a
 * comma-separated list of endpoints, {@code http://} ones making an HTTP/1.1 cluster. Each route
 * gets its own cluster, named after the service or method ({@code root} for {@code /}, {@code
 * api-v1} for {@code /api/v1/}). Since flags have no visible order the way a file has, routes are
 * tried most specific first: methods, then services, then prefixes from longest to shortest.
 *
 * @param listen {@code --listen} addresses; none means {@value ConfigDefaults#FLAG_LISTEN}
 * @param routes {@code --route} values
 * @param balance {@code --balance}: a policy for every cluster, {@code ring_hash:HEADER} for ring
 *     hash; {@code null} for round robin
 * @param accessLog {@code --access-log}: {@code -} or a file; {@code null} for off
 * @param accessLogFormat {@code --access-log-format}: {@code text} or {@code json}; {@code null}
 *     for text
 * @param drainTimeout {@code --drain-timeout}, such as {@code 10s}; {@code null} for the default
 */
public record FlagConfig(
    List<String> listen,
    List<String> routes,
    String balance,
    String accessLog,
    String accessLogFormat,
    String drainTimeout) {

  private static final String ROUTE_FORM =
      "SERVICE=ENDPOINTS or /PREFIX=ENDPOINTS, such as helloworld.Greeter=127.0.0.1:50051";

  /** A route as read from its flag, before ordering. */
  private record FlagRoute(int rank, int order, RouteConfig route) {}

  /**
   * The configuration these flags describe.
   *
   * @throws ConfigException with every bad flag, each naming the flag and its value
   */
  public ProxyConfig toProxyConfig() throws ConfigException {
    List<ConfigError> errors = new ArrayList<>();
    Balance policy = balance(errors);
    Map<String, ClusterConfig> clusters = new LinkedHashMap<>();
    List<FlagRoute> flagRoutes = new ArrayList<>();
    Set<String> leftSides = new HashSet<>();
    if (routes.isEmpty()) {
      errors.add(flagError("--route", "", "at least one --route is needed: " + ROUTE_FORM));
    }
    for (String value : routes) {
      FlagRoute r = route(value, policy, clusters, leftSides, flagRoutes.size(), errors);
      if (r != null) {
        flagRoutes.add(r);
      }
    }
    flagRoutes.sort(
        Comparator.comparingInt(FlagRoute::rank)
            .thenComparing(
                r -> r.route().match().prefix() == null ? 0 : -r.route().match().prefix().length())
            .thenComparingInt(FlagRoute::order));
    List<RouteConfig> ordered = flagRoutes.stream().map(FlagRoute::route).toList();

    List<ListenerConfig> listeners = new ArrayList<>();
    ListenerAddresses taken = new ListenerAddresses();
    for (String value : listen.isEmpty() ? List.of(ConfigDefaults.FLAG_LISTEN) : listen) {
      try {
        ListenAddress address = ListenAddress.parse(value);
        String clash = taken.add(address);
        if (clash != null) {
          errors.add(flagError("--listen", value, clash));
        } else {
          listeners.add(address.builder(ordered).build());
        }
      } catch (IllegalArgumentException e) {
        errors.add(flagError("--listen", value, e.getMessage()));
      }
    }
    AccessLogConfig log = accessLog(errors);
    Duration drain = ConfigDefaults.DRAIN_TIMEOUT;
    if (drainTimeout != null) {
      try {
        drain = Durations.parse(drainTimeout);
      } catch (IllegalArgumentException e) {
        errors.add(flagError("--drain-timeout", drainTimeout, e.getMessage()));
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return new ProxyConfig(
        List.copyOf(listeners), Collections.unmodifiableMap(clusters), log, drain);
  }

  /**
   * What flags give a proxy whose listeners, routes and clusters come from xDS: the access log, the
   * drain timeout and, from {@code admin} ({@code --admin host:port}, {@code null} for none), the
   * admin listener.
   *
   * @throws ConfigException with every bad flag, each naming the flag and its value
   */
  public ProxyConfig xdsBase(String admin) throws ConfigException {
    List<ConfigError> errors = new ArrayList<>();
    AccessLogConfig log = accessLog(errors);
    Duration drain = ConfigDefaults.DRAIN_TIMEOUT;
    if (drainTimeout != null) {
      try {
        drain = Durations.parse(drainTimeout);
      } catch (IllegalArgumentException e) {
        errors.add(flagError("--drain-timeout", drainTimeout, e.getMessage()));
      }
    }
    AdminConfig adminConfig = null;
    if (admin != null) {
      try {
        HostPort hp = HostPort.parse(admin, 0);
        adminConfig = new AdminConfig(hp.host(), hp.port());
      } catch (IllegalArgumentException e) {
        errors.add(flagError("--admin", admin, e.getMessage()));
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return new ProxyConfig(List.of(), Map.of(), log, drain, adminConfig);
  }

  /** The {@code --balance} flag, read. */
  private record Balance(BalancePolicy policy, String hashHeader) {}

  private Balance balance(List<ConfigError> errors) {
    if (balance == null) {
      return new Balance(ConfigDefaults.BALANCE, null);
    }
    String name = balance.toLowerCase(Locale.ROOT);
    String header = null;
    int colon = name.indexOf(':');
    if (colon >= 0) {
      header = name.substring(colon + 1);
      name = name.substring(0, colon);
    }
    int i = BalanceReader.NAMES.indexOf(name);
    if (i < 0) {
      errors.add(
          flagError(
              "--balance",
              balance,
              "unknown balance policy; expected one of: "
                  + String.join(", ", BalanceReader.NAMES)
                  + " (ring_hash as ring_hash:HEADER)"));
      return null;
    }
    BalancePolicy p = BalancePolicy.values()[i];
    if (p == BalancePolicy.RING_HASH) {
      String problem =
          header == null || header.isEmpty()
              ? "ring_hash needs the header whose value is hashed, such as ring_hash:x-user-id"
              : HeaderNames.problem(header, false);
      if (problem != null) {
        errors.add(flagError("--balance", balance, problem));
        return null;
      }
    } else if (header != null) {
      errors.add(flagError("--balance", balance, name + " takes no header; only ring_hash does"));
      return null;
    }
    return new Balance(p, header);
  }

  private static FlagRoute route(
      String value,
      Balance balance,
      Map<String, ClusterConfig> clusters,
      Set<String> leftSides,
      int order,
      List<ConfigError> errors) {
    int eq = value.indexOf('=');
    if (eq <= 0) {
      errors.add(flagError("--route", value, "expected " + ROUTE_FORM));
      return null;
    }
    String left = value.substring(0, eq).trim();
    String right = value.substring(eq + 1).trim();
    if (!leftSides.add(left)) {
      errors.add(flagError("--route", value, "a route for " + left + " is given twice"));
      return null;
    }
    RouteMatch match;
    int rank;
    String clusterName;
    if (left.startsWith("/")) {
      match = new RouteMatch(null, null, left, null, List.of());
      rank = 2;
      String trimmed = left.replaceAll("^/+|/+$", "").replace('/', '-');
      clusterName = trimmed.isEmpty() ? "root" : trimmed;
    } else if (MatchReader.METHOD.matcher(left).matches()) {
      match = new RouteMatch(null, left, null, null, List.of());
      rank = 0;
      clusterName = left;
    } else if (MatchReader.SERVICE.matcher(left).matches()) {
      match = new RouteMatch(left, null, null, null, List.of());
      rank = 1;
      clusterName = left;
    } else {
      errors.add(
          flagError(
              "--route",
              value,
              "'"
                  + left
                  + "' is not a gRPC service (helloworld.Greeter), method"
                  + " (helloworld.Greeter/SayHello) or path prefix (/api/)"));
      return null;
    }
    List<Endpoint> endpoints = new ArrayList<>();
    Set<Protocol> protocols = new HashSet<>();
    Set<Boolean> tlsModes = new HashSet<>();
    boolean ok = true;
    for (String item : right.split(",", -1)) {
      String address = item.trim();
      try {
        EndpointUri uri = EndpointUri.parse(address);
        endpoints.add(uri.endpoint(1));
        protocols.add(uri.scheme().protocol() == null ? Protocol.H2 : uri.scheme().protocol());
        tlsModes.add(uri.scheme().tls());
      } catch (IllegalArgumentException e) {
        String message =
            address.isEmpty()
                ? "an endpoint is missing; expected host:port after '=' and between commas"
                : "endpoint '" + address + "': " + e.getMessage();
        errors.add(flagError("--route", value, message));
        ok = false;
      }
    }
    if (ok && protocols.size() > 1) {
      errors.add(
          flagError(
              "--route",
              value,
              "mixes http:// (HTTP/1.1) and plain (HTTP/2) endpoints; a cluster speaks one"
                  + " protocol"));
      ok = false;
    }
    if (ok && tlsModes.size() > 1) {
      errors.add(
          flagError("--route", value, "mixes TLS (grpcs://, https://) and plaintext endpoints"));
      ok = false;
    }
    if (!ok || balance == null) {
      return null;
    }
    String unique = clusterName;
    for (int n = 2; clusters.containsKey(unique); n++) {
      unique = clusterName + "-" + n;
    }
    clusters.put(
        unique,
        ClusterConfig.builder(unique, endpoints)
            .protocol(protocols.iterator().next())
            .balance(balance.policy(), balance.hashHeader())
            .tls(tlsModes.contains(Boolean.TRUE) ? UpstreamTlsConfig.DEFAULT : null)
            .build());
    return new FlagRoute(
        rank,
        order,
        new RouteConfig(match, unique, null, HeaderRules.NONE, HeaderRules.NONE, null));
  }

  private AccessLogConfig accessLog(List<ConfigError> errors) {
    Format format = Format.TEXT;
    if (accessLogFormat != null) {
      switch (accessLogFormat.toLowerCase(Locale.ROOT)) {
        case "text" -> format = Format.TEXT;
        case "json" -> format = Format.JSON;
        default -> {
          errors.add(flagError("--access-log-format", accessLogFormat, "expected text or json"));
          return null;
        }
      }
    }
    if (accessLog == null) {
      if (accessLogFormat != null) {
        errors.add(
            flagError(
                "--access-log-format",
                accessLogFormat,
                "needs --access-log - (standard output) or --access-log FILE"));
      }
      return null;
    }
    if (accessLog.isBlank()) {
      errors.add(flagError("--access-log", accessLog, "expected - (standard output) or a file"));
      return null;
    }
    return new AccessLogConfig(accessLog, format);
  }

  private static ConfigError flagError(String flag, String value, String message) {
    return new ConfigError(null, 0, 0, value.isEmpty() ? flag : flag + " " + value, message);
  }
}
