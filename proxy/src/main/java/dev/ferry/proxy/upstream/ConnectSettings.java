package dev.ferry.proxy.upstream;

import dev.ferry.proxy.config.ClusterConfig;
import io.netty.handler.ssl.SslContext;

/**
 * How the connections of one cluster are opened, the same for all its endpoints on every loop.
 *
 * @param connectTimeoutMillis how long a connection (and, for HTTP/2, its first SETTINGS) may take
 * @param http1 whether the endpoints speak HTTP/1.1 rather than HTTP/2
 * @param tls the cluster's TLS context, or {@code null} for plaintext
 * @param serverName the name for SNI and the certificate check; {@code null} for each endpoint's
 *     host
 */
record ConnectSettings(int connectTimeoutMillis, boolean http1, SslContext tls, String serverName) {
  /** The settings {@code config} asks for, with {@code tls} made from its TLS section. */
  static ConnectSettings of(ClusterConfig config, SslContext tls) {
    return new ConnectSettings(
        (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()),
        config.protocol() == ClusterConfig.Protocol.HTTP1,
        tls,
        config.tls() == null ? null : config.tls().serverName());
  }

  /** The name to send by SNI and check the certificate against, for an endpoint on {@code host}. */
  String serverNameFor(String host) {
    return serverName == null ? host : serverName;
  }
}
