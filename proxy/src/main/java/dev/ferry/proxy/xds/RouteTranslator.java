package dev.ferry.proxy.xds;

import dev.ferry.proxy.config.HeaderMatch;
import dev.ferry.proxy.config.HeaderRules;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.config.RouteMatch;
import dev.ferry.proxy.config.RoutePolicy;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns an RDS {@code RouteConfiguration} into ferry's routes: each virtual host's routes once per
 * domain (the domain becoming the authority condition, {@code *} none), in order.
 */
final class RouteTranslator {
  private RouteTranslator() {}

  /**
   * The routes of {@code rc}, and for each cluster a route hashes on, the header it hashes.
   *
   * @param resource how errors name the route configuration
   */
  static XdsRoutes translate(RouteConfiguration rc, String resource) throws XdsRejection {
    List<RouteConfig> routes = new ArrayList<>();
    Map<String, String> hashHeaders = new LinkedHashMap<>();
    for (int v = 0; v < rc.getVirtualHostsCount(); v++) {
      VirtualHost vh = rc.getVirtualHosts(v);
      String at = "virtual_hosts[" + v + "]";
      if (vh.getDomainsCount() == 0) {
        throw new XdsRejection(resource, at + ".domains", "empty (expected at least one, or *)");
      }
      if (vh.hasRetryPolicy()) {
        throw new XdsRejection(
            resource, at + ".retry_policy", "not supported on a virtual host (set it per route)");
      }
      List<String> authorities = new ArrayList<>();
      for (int d = 0; d < vh.getDomainsCount(); d++) {
        authorities.add(authority(vh.getDomains(d), resource, at + ".domains[" + d + "]"));
      }
      for (int r = 0; r < vh.getRoutesCount(); r++) {
        String routeAt = at + ".routes[" + r + "]";
        Route route = vh.getRoutes(r);
        for (String authority : authorities) {
          routes.add(route(route, authority, resource, routeAt, hashHeaders));
        }
      }
    }
    return new XdsRoutes(List.copyOf(routes), Map.copyOf(hashHeaders));
  }

  /** ferry's routes from one route configuration, and the ring hash headers its routes set. */
  record XdsRoutes(List<RouteConfig> routes, Map<String, String> hashHeaders) {}

  /** {@code null} for any host; ferry compares the authority without its port. */
  private static String authority(String domain, String resource, String at) throws XdsRejection {
    if (domain.equals("*")) {
      return null;
    }
    if (domain.startsWith("*") || domain.endsWith("*")) {
      throw new XdsRejection(
          resource, at, "wildcard domain '" + domain + "' not supported (expected * or a host)");
    }
    int colon = domain.lastIndexOf(':');
    boolean bracketed = domain.startsWith("[");
    if (bracketed) {
      int close = domain.indexOf(']');
      return close < 0 ? domain : domain.substring(1, close);
    }
    return colon > 0 && domain.indexOf(':') == colon ? domain.substring(0, colon) : domain;
  }

  private static RouteConfig route(
      Route route, String authority, String resource, String at, Map<String, String> hashHeaders)
      throws XdsRejection {
    RouteMatch match = match(route.getMatch(), authority, resource, at + ".match");
    if (route.getActionCase() != Route.ActionCase.ROUTE) {
      throw new XdsRejection(
          resource,
          at,
          "action "
              + route.getActionCase().name().toLowerCase()
              + " not supported (expected route)");
    }
    if (route.getRequestHeadersToAddCount() > 0
        || route.getResponseHeadersToAddCount() > 0
        || route.getRequestHeadersToRemoveCount() > 0
        || route.getResponseHeadersToRemoveCount() > 0) {
      throw new XdsRejection(
          resource, at + ".request/response_headers_to_add/remove", "not supported yet");
    }
    RouteAction a = route.getRoute();
    String rat = at + ".route";
    String cluster = cluster(a, resource, rat);
    if (!a.getPrefixRewrite().isEmpty() || a.hasRegexRewrite()) {
      throw new XdsRejection(resource, rat + ".prefix_rewrite", "path rewriting not supported");
    }
    if (a.getHostRewriteSpecifierCase()
        != RouteAction.HostRewriteSpecifierCase.HOSTREWRITESPECIFIER_NOT_SET) {
      throw new XdsRejection(resource, rat + ".host_rewrite", "not supported");
    }
    for (int h = 0; h < a.getHashPolicyCount(); h++) {
      RouteAction.HashPolicy p = a.getHashPolicy(h);
      if (p.getPolicySpecifierCase() != RouteAction.HashPolicy.PolicySpecifierCase.HEADER) {
        throw new XdsRejection(
            resource, rat + ".hash_policy[" + h + "]", "only header hashing is supported");
      }
      if (h > 0) {
        throw new XdsRejection(resource, rat + ".hash_policy[" + h + "]", "one policy at most");
      }
      String header = p.getHeader().getHeaderName().toLowerCase();
      String before = hashHeaders.putIfAbsent(cluster, header);
      if (before != null && !before.equals(header)) {
        throw new XdsRejection(
            resource,
            rat + ".hash_policy[0].header",
            "cluster " + cluster + " is hashed on '" + before + "' by another route");
      }
    }
    Duration maxTimeout = null;
    if (a.hasTimeout()) {
      maxTimeout = positiveOrNull(Protos.duration(a.getTimeout()));
    }
    if (a.hasMaxStreamDuration() && a.getMaxStreamDuration().hasGrpcTimeoutHeaderMax()) {
      Duration cap =
          positiveOrNull(Protos.duration(a.getMaxStreamDuration().getGrpcTimeoutHeaderMax()));
      if (cap != null && (maxTimeout == null || cap.compareTo(maxTimeout) < 0)) {
        maxTimeout = cap;
      }
    }
    return new RouteConfig(
        match,
        cluster,
        null,
        HeaderRules.NONE,
        HeaderRules.NONE,
        maxTimeout,
        a.hasRetryPolicy()
            ? RetryTranslator.translate(a.getRetryPolicy(), resource, rat + ".retry_policy")
            : null,
        RoutePolicy.NONE);
  }

  private static Duration positiveOrNull(Duration d) {
    return d.isZero() || d.isNegative() ? null : d;
  }

  private static String cluster(RouteAction a, String resource, String at) throws XdsRejection {
    switch (a.getClusterSpecifierCase()) {
      case CLUSTER:
        return a.getCluster();
      case WEIGHTED_CLUSTERS:
        // ferry splits calls over endpoints, not clusters: one cluster with all the weight is fine.
        String only = null;
        WeightedCluster w = a.getWeightedClusters();
        for (WeightedCluster.ClusterWeight c : w.getClustersList()) {
          if (!c.hasWeight() || c.getWeight().getValue() > 0) {
            if (only != null) {
              throw new XdsRejection(
                  resource,
                  at + ".weighted_clusters",
                  "splitting calls over several clusters not supported (expected one cluster"
                      + " with weight > 0)");
            }
            only = c.getName();
          }
        }
        if (only == null) {
          throw new XdsRejection(resource, at + ".weighted_clusters", "no cluster with weight > 0");
        }
        return only;
      default:
        throw new XdsRejection(
            resource,
            at + "." + a.getClusterSpecifierCase().name().toLowerCase(),
            "not supported (expected cluster or weighted_clusters)");
    }
  }

  private static RouteMatch match(
      io.envoyproxy.envoy.config.route.v3.RouteMatch m,
      String authority,
      String resource,
      String at)
      throws XdsRejection {
    if (m.hasCaseSensitive() && !m.getCaseSensitive().getValue()) {
      throw new XdsRejection(resource, at + ".case_sensitive", "false not supported");
    }
    if (m.getQueryParametersCount() > 0) {
      throw new XdsRejection(resource, at + ".query_parameters", "not supported");
    }
    if (m.hasRuntimeFraction()) {
      throw new XdsRejection(resource, at + ".runtime_fraction", "not supported");
    }
    if (m.hasTlsContext() || m.getDynamicMetadataCount() > 0) {
      throw new XdsRejection(resource, at + ".tls_context/dynamic_metadata", "not supported");
    }
    String method = null;
    String prefix = null;
    switch (m.getPathSpecifierCase()) {
      case PREFIX -> prefix = m.getPrefix().isEmpty() ? "/" : m.getPrefix();
      case PATH -> method = m.getPath();
      default ->
          throw new XdsRejection(
              resource,
              at + "." + m.getPathSpecifierCase().name().toLowerCase(),
              "not supported (expected prefix or path)");
    }
    List<HeaderMatch> headers = new ArrayList<>();
    for (int i = 0; i < m.getHeadersCount(); i++) {
      headers.add(header(m.getHeaders(i), resource, at + ".headers[" + i + "]"));
    }
    return new RouteMatch(null, method, prefix, authority, List.copyOf(headers));
  }

  private static HeaderMatch header(HeaderMatcher h, String resource, String at)
      throws XdsRejection {
    if (h.getInvertMatch()) {
      throw new XdsRejection(resource, at + ".invert_match", "not supported");
    }
    String name = h.getName().toLowerCase();
    switch (h.getHeaderMatchSpecifierCase()) {
      case EXACT_MATCH:
        return new HeaderMatch(name, h.getExactMatch(), null, null);
      case PREFIX_MATCH:
        return new HeaderMatch(name, null, h.getPrefixMatch(), null);
      case SAFE_REGEX_MATCH:
        return new HeaderMatch(
            name, null, null, regex(h.getSafeRegexMatch().getRegex(), resource, at));
      case STRING_MATCH:
        StringMatcher s = h.getStringMatch();
        if (s.getIgnoreCase()) {
          throw new XdsRejection(resource, at + ".string_match.ignore_case", "not supported");
        }
        switch (s.getMatchPatternCase()) {
          case EXACT:
            return new HeaderMatch(name, s.getExact(), null, null);
          case PREFIX:
            return new HeaderMatch(name, null, s.getPrefix(), null);
          case SAFE_REGEX:
            return new HeaderMatch(
                name, null, null, regex(s.getSafeRegex().getRegex(), resource, at));
          default:
            throw new XdsRejection(
                resource,
                at + ".string_match." + s.getMatchPatternCase().name().toLowerCase(),
                "not supported (expected exact, prefix or safe_regex)");
        }
      default:
        throw new XdsRejection(
            resource,
            at + "." + h.getHeaderMatchSpecifierCase().name().toLowerCase(),
            "not supported (expected exact, prefix, safe_regex or string_match)");
    }
  }

  private static Pattern regex(String regex, String resource, String at) throws XdsRejection {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new XdsRejection(resource, at + ".safe_regex", "invalid: " + e.getDescription());
    }
  }
}
