package dev.ferry.proxy.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads one entry of {@code listeners:}: its address, idle timeout, routes, TLS, ACL, limits, trace
 * and CORS.
 */
final class ListenerReader {
  private ListenerReader() {}

  /** The listener, or {@code null} after reporting. */
  static ListenerConfig read(YamlValue v, Set<String> clusters, ListenerAddresses taken) {
    YamlMapping m =
        v.mapping("address", "routes", "idle_timeout", "tls", "acl", "limits", "trace", "cors");
    if (m == null) {
      return null;
    }
    YamlValue addressValue = m.require("address", ListenAddress.EXPECTED);
    ListenAddress address =
        addressValue == null
            ? null
            : addressValue.parsed(ListenAddress.EXPECTED, ListenAddress::parse);
    if (address != null) {
      String clash = taken.add(address);
      if (clash != null) {
        addressValue.error(clash);
        address = null;
      }
    }
    Duration idle = m.duration("idle_timeout", true, ConfigDefaults.IDLE_TIMEOUT);
    List<RouteConfig> routes = routes(m.require("routes", "a list of routes"), clusters);
    TlsConfig tls = m.has("tls") ? TlsReader.read(m.get("tls")) : null;
    AclConfig acl = m.has("acl") ? AclReader.read(m.get("acl")) : null;
    if (acl != null && !acl.clientSubjects().isEmpty() && (tls == null || tls.clientCa() == null)) {
      m.get("acl").error("client_subjects needs tls with client_ca: only then do clients show one");
      acl = null;
    }
    if (acl != null
        && address != null
        && address.socket() != null
        && !(acl.allow().isEmpty() && acl.deny().isEmpty())) {
      // A Unix socket's clients have no IP address; the file's permissions say who may connect.
      m.get("acl")
          .error(
              "allow and deny match IP addresses, which clients of a Unix socket have none of"
                  + " (the socket file's permissions decide who may connect)");
      acl = null;
    }
    ListenerLimits limits =
        m.has("limits") ? PolicyReader.limits(m.get("limits")) : ListenerLimits.DEFAULTS;
    TraceConfig trace = m.has("trace") ? TraceReader.read(m.get("trace")) : null;
    CorsConfig cors = m.has("cors") ? CorsReader.read(m.get("cors")) : null;
    if (address == null
        || idle == null
        || routes == null
        || (m.has("tls") && tls == null)
        || (m.has("acl") && acl == null)
        || limits == null
        || (m.has("trace") && trace == null)
        || (m.has("cors") && cors == null)) {
      return null;
    }
    return address
        .builder(routes)
        .idleTimeout(idle)
        .tls(tls)
        .acl(acl)
        .limits(limits)
        .trace(trace)
        .cors(cors)
        .build();
  }

  private static List<RouteConfig> routes(YamlValue v, Set<String> clusters) {
    if (v == null) {
      return null;
    }
    List<YamlValue> items = v.list("routes, such as - { match: { prefix: / }, cluster: rest }");
    if (items == null) {
      return null;
    }
    if (items.isEmpty()) {
      v.error("expected at least one route");
      return null;
    }
    List<RouteConfig> routes = new ArrayList<>();
    boolean ok = true;
    for (YamlValue item : items) {
      RouteConfig r = RouteReader.read(item, clusters);
      ok &= r != null;
      if (r != null) {
        routes.add(r);
      }
    }
    return ok ? List.copyOf(routes) : null;
  }
}
