package dev.ferry.proxy.config;

import java.nio.file.Path;

/**
 * TLS from ferry to a cluster's backends ({@code grpcs://} and {@code https://} endpoints).
 *
 * @param ca the PEM CA bundle the backends' certificates must chain to; {@code null} for the JDK's
 *     trusted CAs
 * @param serverName the name sent by SNI and checked against the backend's certificate; {@code
 *     null} for each endpoint's host
 * @param cert a client certificate for backends that require one, or {@code null}
 * @param key the private key of {@link #cert}
 * @param insecure accept any certificate and any name: for development only, and warned about at
 *     start
 */
public record UpstreamTlsConfig(Path ca, String serverName, Path cert, Path key, boolean insecure) {
  /** TLS checked against the JDK's trusted CAs and each endpoint's host name. */
  public static final UpstreamTlsConfig DEFAULT =
      new UpstreamTlsConfig(null, null, null, null, false);
}
