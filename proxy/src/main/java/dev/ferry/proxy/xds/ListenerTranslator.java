package dev.ferry.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.ferry.proxy.config.TlsConfig;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.nio.file.Path;

/**
 * Turns an LDS {@code Listener} into a ferry listener: a socket address and one filter chain whose
 * only network filter is the HTTP connection manager, its routes inline or named for RDS.
 */
final class ListenerTranslator {
  static final String HCM =
      "type.googleapis.com/" + HttpConnectionManager.getDescriptor().getFullName();
  private static final String ROUTER =
      "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router";
  private static final String DOWNSTREAM_TLS =
      "type.googleapis.com/" + DownstreamTlsContext.getDescriptor().getFullName();

  private ListenerTranslator() {}

  /** A listener as ferry runs it, its routes still to be found when {@link #rdsName} is set. */
  record XdsListener(
      String name,
      String host,
      int port,
      TlsConfig tls,
      String rdsName,
      RouteTranslator.XdsRoutes inlineRoutes) {}

  static XdsListener translate(Listener l) throws XdsRejection {
    String resource = XdsRejection.name("Listener", l.getName());
    if (!l.getAddress().hasSocketAddress()) {
      throw new XdsRejection(resource, "address", "expected a socket_address");
    }
    SocketAddress sa = l.getAddress().getSocketAddress();
    if (sa.getProtocol() != SocketAddress.Protocol.TCP) {
      throw new XdsRejection(resource, "address.socket_address.protocol", "expected TCP");
    }
    if (sa.getPortSpecifierCase() != SocketAddress.PortSpecifierCase.PORT_VALUE) {
      throw new XdsRejection(resource, "address.socket_address.port_value", "missing");
    }
    if (l.hasApiListener()) {
      throw new XdsRejection(resource, "api_listener", "not supported: ferry serves sockets");
    }
    if (l.hasDefaultFilterChain()) {
      throw new XdsRejection(resource, "default_filter_chain", "not supported");
    }
    if (l.getFilterChainsCount() != 1) {
      throw new XdsRejection(
          resource, "filter_chains", l.getFilterChainsCount() + " chains (expected exactly one)");
    }
    FilterChain chain = l.getFilterChains(0);
    if (chain.hasFilterChainMatch()) {
      throw new XdsRejection(resource, "filter_chains[0].filter_chain_match", "not supported");
    }
    TlsConfig tls = chain.hasTransportSocket() ? tls(chain.getTransportSocket(), resource) : null;
    if (chain.getFiltersCount() != 1) {
      throw new XdsRejection(
          resource,
          "filter_chains[0].filters",
          chain.getFiltersCount() + " filters (expected one: the http_connection_manager)");
    }
    Filter f = chain.getFilters(0);
    if (!f.hasTypedConfig() || !f.getTypedConfig().getTypeUrl().equals(HCM)) {
      throw new XdsRejection(
          resource,
          "filter_chains[0].filters[0]",
          "'" + f.getName() + "' not supported (expected an HttpConnectionManager)");
    }
    HttpConnectionManager hcm = unpack(f.getTypedConfig(), HttpConnectionManager.class, resource);
    String at = "filter_chains[0].filters[0].typed_config";
    for (int i = 0; i < hcm.getHttpFiltersCount(); i++) {
      HttpFilter h = hcm.getHttpFilters(i);
      boolean router = h.hasTypedConfig() && h.getTypedConfig().getTypeUrl().equals(ROUTER);
      if (!router && !h.getIsOptional()) {
        throw new XdsRejection(
            resource,
            at + ".http_filters[" + i + "]",
            "'" + h.getName() + "' not supported (expected only the router)");
      }
    }
    String host = sa.getAddress();
    int port = sa.getPortValue();
    return switch (hcm.getRouteSpecifierCase()) {
      case RDS ->
          new XdsListener(l.getName(), host, port, tls, hcm.getRds().getRouteConfigName(), null);
      case ROUTE_CONFIG ->
          new XdsListener(
              l.getName(),
              host,
              port,
              tls,
              null,
              RouteTranslator.translate(
                  hcm.getRouteConfig(), resource + " " + at + ".route_config"));
      default ->
          throw new XdsRejection(
              resource,
              at + "." + hcm.getRouteSpecifierCase().name().toLowerCase(),
              "not supported (expected rds or route_config)");
    };
  }

  /** Certificates from files only: ferry reloads them from disk as it does for a YAML listener. */
  private static TlsConfig tls(TransportSocket ts, String resource) throws XdsRejection {
    String at = "filter_chains[0].transport_socket";
    if (!ts.hasTypedConfig() || !ts.getTypedConfig().getTypeUrl().equals(DOWNSTREAM_TLS)) {
      throw new XdsRejection(resource, at, "expected a DownstreamTlsContext");
    }
    DownstreamTlsContext d = unpack(ts.getTypedConfig(), DownstreamTlsContext.class, resource);
    if (d.hasRequireClientCertificate() && d.getRequireClientCertificate().getValue()) {
      throw new XdsRejection(resource, at + ".require_client_certificate", "not supported yet");
    }
    CommonTlsContext c = d.getCommonTlsContext();
    if (c.getTlsCertificatesCount() != 1) {
      throw new XdsRejection(
          resource,
          at + ".common_tls_context.tls_certificates",
          "expected exactly one (SDS not supported)");
    }
    TlsCertificate cert = c.getTlsCertificates(0);
    String chain = cert.getCertificateChain().getFilename();
    String key = cert.getPrivateKey().getFilename();
    if (chain.isEmpty() || key.isEmpty()) {
      throw new XdsRejection(
          resource,
          at + ".common_tls_context.tls_certificates[0]",
          "certificate_chain and private_key must be filenames (inline bytes not supported)");
    }
    return TlsConfig.of(Path.of(chain), Path.of(key));
  }

  static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type, String resource)
      throws XdsRejection {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new XdsRejection(resource, any.getTypeUrl(), "cannot decode: " + e.getMessage());
    }
  }
}
