package dev.ferry.proxy.config;

/**
 * The {@code xds:} block: an xDS control plane whose listeners, routes and clusters are added to
 * the file's own, as Envoy's {@code dynamic_resources} are added to its {@code static_resources}.
 *
 * @param server the ADS server, {@code host:port} or a grpc target such as {@code
 *     dns:///xds.internal:18000}
 * @param channel how the channel to it is secured
 * @param nodeId the node's id, sent in every request
 * @param nodeCluster the node's cluster, sent in every request
 */
public record XdsConfig(String server, Channel channel, String nodeId, String nodeCluster) {
  /** The channel's security, as a grpc bootstrap's {@code channel_creds} type. */
  public enum Channel {
    /** Plaintext. */
    INSECURE,
    /** TLS, the server checked against the JDK's trusted CAs. */
    TLS
  }
}
