package dev.ferry.proxy.tls;

import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.UpstreamTlsConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS contexts ferry uses towards backends: one per cluster, offering h2 or http/1.1 by ALPN,
 * checking the backend's certificate and name unless the cluster says {@code insecure}.
 */
public final class ClientTls {
  private static final Logger log = LoggerFactory.getLogger(ClientTls.class);

  private ClientTls() {}

  /**
   * A context per cluster with TLS, by name; warns once per {@code insecure} cluster.
   *
   * @throws IOException naming the cluster and the file that cannot be used
   */
  public static Map<String, SslContext> forClusters(Map<String, ClusterConfig> clusters)
      throws IOException {
    Map<String, SslContext> out = new HashMap<>();
    for (ClusterConfig c : clusters.values()) {
      if (c.tls() != null) {
        out.put(c.name(), build(c));
        if (c.tls().insecure()) {
          log.warn(
              "cluster '{}': TLS without checking the backends' certificates (insecure: true);"
                  + " anyone on the path can read and change its calls: for development only",
              c.name());
        }
      }
    }
    return Map.copyOf(out);
  }

  static SslContext build(ClusterConfig c) throws IOException {
    UpstreamTlsConfig t = c.tls();
    String alpn =
        c.protocol() == ClusterConfig.Protocol.HTTP1
            ? ApplicationProtocolNames.HTTP_1_1
            : ApplicationProtocolNames.HTTP_2;
    SslContextBuilder b = ModernTls.apply(SslContextBuilder.forClient(), alpn);
    try {
      if (t.insecure()) {
        b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
      } else {
        // RFC 2818 name checks: Netty 4.2's default for clients, said here so that it stays.
        b.endpointIdentificationAlgorithm("HTTPS");
        if (t.ca() != null) {
          b.trustManager(t.ca().toFile());
        }
      }
      if (t.cert() != null) {
        b.keyManager(t.cert().toFile(), t.key().toFile());
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IOException(
          "cluster '" + c.name() + "': cannot set up TLS to its backends: " + e.getMessage(), e);
    }
  }
}
