package dev.ferry.proxy.config;

import java.nio.file.Path;

/**
 * Reads a cluster's {@code tls:}: {@code { ca: FILE, server_name: NAME, cert: FILE, key: FILE,
 * insecure: true }}, every key optional.
 */
final class UpstreamTlsReader {
  private UpstreamTlsReader() {}

  /** The settings, or {@code null} after reporting. */
  static UpstreamTlsConfig read(YamlValue v) {
    YamlMapping m = v.mapping("ca", "server_name", "cert", "key", "insecure");
    if (m == null) {
      return null;
    }
    boolean ok = true;
    Path ca = null;
    if (m.has("ca")) {
      ca = PemFiles.certificates(m.get("ca"));
      ok &= ca != null;
    }
    String serverName = null;
    if (m.has("server_name")) {
      serverName = m.get("server_name").nonEmptyString("a host name such as api.internal");
      ok &= serverName != null;
    }
    Path cert = null;
    Path key = null;
    if (m.has("cert") || m.has("key")) {
      YamlValue c = m.require("cert", "a PEM client certificate chain file");
      YamlValue k = m.require("key", "the PEM private key of cert");
      cert = c == null ? null : PemFiles.certificates(c);
      key = k == null ? null : PemFiles.privateKey(k);
      ok &= cert != null && key != null;
    }
    boolean insecure = false;
    if (m.has("insecure")) {
      Boolean b = TlsReader.bool(m.get("insecure"));
      ok &= b != null;
      insecure = Boolean.TRUE.equals(b);
      if (insecure && ca != null) {
        m.get("insecure").error("insecure: true ignores ca: give one or the other");
        ok = false;
      }
    }
    return ok ? new UpstreamTlsConfig(ca, serverName, cert, key, insecure) : null;
  }
}
