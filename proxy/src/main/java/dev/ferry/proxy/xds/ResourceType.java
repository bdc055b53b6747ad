package dev.ferry.proxy.xds;

/** The four xDS resource types ferry asks for, in the order their names depend on each other. */
enum ResourceType {
  LISTENER("type.googleapis.com/envoy.config.listener.v3.Listener", "listener", true),
  ROUTE("type.googleapis.com/envoy.config.route.v3.RouteConfiguration", "route", false),
  CLUSTER("type.googleapis.com/envoy.config.cluster.v3.Cluster", "cluster", true),
  ENDPOINT(
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment", "endpoints", false);

  final String typeUrl;
  final String label;

  /**
   * Listeners and clusters are asked for by wildcard, and a response holds them all (one missing
   * was removed); routes and endpoints are asked for by name, and a response need not repeat them.
   */
  final boolean wildcard;

  ResourceType(String typeUrl, String label, boolean wildcard) {
    this.typeUrl = typeUrl;
    this.label = label;
    this.wildcard = wildcard;
  }

  static ResourceType of(String typeUrl) {
    for (ResourceType t : values()) {
      if (t.typeUrl.equals(typeUrl)) {
        return t;
      }
    }
    return null;
  }
}
