package dev.ferry.proxy.config;

import java.nio.file.Path;
import java.util.List;

/**
 * TLS on a listener: either certificates from files (one, or several chosen by SNI) or a
 * development certificate made and kept by ferry ({@code tls: self-signed}); optionally client
 * certificates checked against a CA (mutual TLS).
 *
 * @param certificates the certificates, the first without server names being the default; empty
 *     exactly when {@link #selfSigned}
 * @param selfSigned a local CA and a certificate for localhost, 127.0.0.1 and ::1 in the user's
 *     directory
 * @param clientCa the PEM CA bundle that client certificates must chain to; {@code null} for no
 *     client certificates
 * @param requireClientCert with a {@link #clientCa}: refuse clients without a certificate; when
 *     false a certificate is checked if sent
 */
public record TlsConfig(
    List<CertificateConfig> certificates,
    boolean selfSigned,
    Path clientCa,
    boolean requireClientCert) {

  /** {@code tls: self-signed}. */
  public static TlsConfig selfSignedConfig() {
    return new TlsConfig(List.of(), true, null, false);
  }

  /** One certificate, no client certificates. */
  public static TlsConfig of(Path cert, Path key) {
    return new TlsConfig(List.of(new CertificateConfig(cert, key, List.of())), false, null, false);
  }
}
