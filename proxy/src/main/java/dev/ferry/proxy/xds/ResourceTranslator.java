package dev.ferry.proxy.xds;

/** Unpacks a resource of a response by its type and hands it to that type's translator. */
final class ResourceTranslator {
  private ResourceTranslator() {}

  /** A resource's name, and what it becomes in ferry. */
  record Translated(String name, Object value) {}

  /** Unpacks {@code any} as a {@code type} and translates it. */
  static Translated translate(ResourceType type, com.google.protobuf.Any any) throws XdsRejection {
    String what = type.label;
    if (!any.getTypeUrl().equals(type.typeUrl)) {
      throw new XdsRejection(
          what, "type_url", any.getTypeUrl() + " (expected " + type.typeUrl + ")");
    }
    switch (type) {
      case LISTENER -> {
        var l =
            ListenerTranslator.unpack(
                any, io.envoyproxy.envoy.config.listener.v3.Listener.class, what);
        return new Translated(l.getName(), ListenerTranslator.translate(l));
      }
      case ROUTE -> {
        var rc =
            ListenerTranslator.unpack(
                any, io.envoyproxy.envoy.config.route.v3.RouteConfiguration.class, what);
        return new Translated(
            rc.getName(),
            RouteTranslator.translate(rc, XdsRejection.name("RouteConfiguration", rc.getName())));
      }
      case CLUSTER -> {
        var c =
            ListenerTranslator.unpack(
                any, io.envoyproxy.envoy.config.cluster.v3.Cluster.class, what);
        return new Translated(c.getName(), ClusterTranslator.translate(c));
      }
      default -> {
        var a =
            ListenerTranslator.unpack(
                any, io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.class, what);
        return new Translated(
            a.getClusterName(),
            EndpointTranslator.translate(
                a, XdsRejection.name("ClusterLoadAssignment", a.getClusterName()), false));
      }
    }
  }
}
