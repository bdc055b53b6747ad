package dev.ferry.proxy.xds;

import dev.ferry.proxy.config.Endpoint;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@code ClusterLoadAssignment} into ferry's endpoints: those of priority 0 in every
 * locality, with their weights, leaving out any the control plane does not call healthy.
 */
final class EndpointTranslator {
  private EndpointTranslator() {}

  /**
   * @param resource how errors name the assignment
   * @param hostNames whether addresses may be host names (DNS clusters) rather than IP literals
   */
  static List<Endpoint> translate(ClusterLoadAssignment a, String resource, boolean hostNames)
      throws XdsRejection {
    List<Endpoint> out = new ArrayList<>();
    for (int i = 0; i < a.getEndpointsCount(); i++) {
      LocalityLbEndpoints l = a.getEndpoints(i);
      String at = "endpoints[" + i + "]";
      if (l.getPriority() != 0) {
        throw new XdsRejection(
            resource, at + ".priority", l.getPriority() + " (only priority 0 is supported)");
      }
      for (int j = 0; j < l.getLbEndpointsCount(); j++) {
        LbEndpoint e = l.getLbEndpoints(j);
        String eat = at + ".lb_endpoints[" + j + "]";
        if (!e.hasEndpoint() || !e.getEndpoint().getAddress().hasSocketAddress()) {
          throw new XdsRejection(resource, eat + ".endpoint.address", "expected a socket_address");
        }
        SocketAddress sa = e.getEndpoint().getAddress().getSocketAddress();
        if (sa.getPortSpecifierCase() != SocketAddress.PortSpecifierCase.PORT_VALUE) {
          throw new XdsRejection(
              resource, eat + ".endpoint.address.socket_address.port_value", "missing");
        }
        if (!hostNames && !isIpLiteral(sa.getAddress())) {
          throw new XdsRejection(
              resource,
              eat + ".endpoint.address.socket_address.address",
              "'" + sa.getAddress() + "' is not an IP address (EDS and STATIC clusters need one)");
        }
        int weight = e.hasLoadBalancingWeight() ? e.getLoadBalancingWeight().getValue() : 1;
        if (weight < 1) {
          throw new XdsRejection(resource, eat + ".load_balancing_weight", "expected >= 1");
        }
        if (usable(e.getHealthStatus())) {
          out.add(Endpoint.tcp(sa.getAddress(), sa.getPortValue(), weight));
        }
      }
    }
    return List.copyOf(out);
  }

  /** Envoy sends calls to HEALTHY and UNKNOWN endpoints; DEGRADED only as a last resort. */
  private static boolean usable(HealthStatus s) {
    return s == HealthStatus.HEALTHY || s == HealthStatus.UNKNOWN;
  }

  private static boolean isIpLiteral(String s) {
    return io.netty.util.NetUtil.isValidIpV4Address(s)
        || io.netty.util.NetUtil.isValidIpV6Address(s);
  }
}
