package dev.ferry.proxy.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a listener's {@code tls:}: {@code self-signed}, or {@code { cert: FILE, key: FILE }}, or
 * {@code { certificates: [ { cert, key, server_names: [..] }, .. ] }}, each optionally with {@code
 * client_ca} and {@code require_client_cert}. Files are checked now, so that {@code --check} finds
 * a missing one.
 */
final class TlsReader {
  static final String EXPECTED =
      "self-signed, or { cert: FILE, key: FILE }, or { certificates: [ { cert, key, server_names"
          + " } ] }";

  private TlsReader() {}

  /** The TLS settings, or {@code null} after reporting. */
  static TlsConfig read(YamlValue v) {
    if (v.isScalar()) {
      String s = v.string(EXPECTED);
      if ("self-signed".equals(s)) {
        return TlsConfig.selfSignedConfig();
      }
      v.error(
          "expected "
              + EXPECTED
              + ", got '"
              + s
              + "'"
              + DidYouMean.hint(s, List.of("self-signed")));
      return null;
    }
    YamlMapping m = v.mapping("cert", "key", "certificates", "client_ca", "require_client_cert");
    if (m == null) {
      return null;
    }
    List<CertificateConfig> certificates;
    if (m.has("certificates")) {
      if (m.has("cert") || m.has("key")) {
        m.get("certificates").error("give either cert and key, or certificates, not both");
        return null;
      }
      certificates = certificates(m.get("certificates"));
    } else if (!m.has("cert") && !m.has("key")) {
      v.error("expected cert and key, or certificates");
      return null;
    } else {
      CertificateConfig c = certificate(m, List.of());
      certificates = c == null ? null : List.of(c);
    }
    Path clientCa = m.has("client_ca") ? PemFiles.certificates(m.get("client_ca")) : null;
    boolean clientCaOk = clientCa != null || !m.has("client_ca");
    Boolean require = null;
    if (m.has("require_client_cert")) {
      require = bool(m.get("require_client_cert"));
      if (require != null && !m.has("client_ca")) {
        m.get("require_client_cert").error("needs client_ca: the CA client certificates chain to");
        require = null;
      }
    } else {
      // A CA given means client certificates are wanted: optional ones must be asked for.
      require = Boolean.TRUE;
    }
    if (certificates == null || !clientCaOk || require == null) {
      return null;
    }
    return new TlsConfig(certificates, false, clientCa, clientCa != null && require);
  }

  private static List<CertificateConfig> certificates(YamlValue v) {
    List<YamlValue> items = v.list("{ cert: FILE, key: FILE, server_names: [NAME, ..] }");
    if (items == null) {
      return null;
    }
    if (items.isEmpty()) {
      v.error("expected at least one certificate");
      return null;
    }
    List<CertificateConfig> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    boolean ok = true;
    int defaults = 0;
    for (YamlValue item : items) {
      YamlMapping m = item.mapping("cert", "key", "server_names");
      if (m == null) {
        ok = false;
        continue;
      }
      List<String> serverNames = List.of();
      if (m.has("server_names")) {
        serverNames = serverNames(m.get("server_names"), names);
        if (serverNames == null) {
          ok = false;
          continue;
        }
      } else if (++defaults > 1) {
        item.error("only one certificate may leave out server_names (it is the default)");
        ok = false;
        continue;
      }
      CertificateConfig c = certificate(m, serverNames);
      ok &= c != null;
      if (c != null) {
        out.add(c);
      }
    }
    return ok ? List.copyOf(out) : null;
  }

  private static List<String> serverNames(YamlValue v, Set<String> seen) {
    List<YamlValue> items = v.list("server names, such as api.example.com or *.example.com");
    if (items == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (YamlValue item : items) {
      String s = item.nonEmptyString("a server name");
      if (s == null) {
        return null;
      }
      String name = s.trim().toLowerCase(java.util.Locale.ROOT);
      if (!name.matches(
          "(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
        item.error("expected a DNS name such as api.example.com or *.example.com, got '" + s + "'");
        return null;
      }
      if (!seen.add(name)) {
        item.error("server name " + name + " is given to two certificates");
        return null;
      }
      out.add(name);
    }
    return List.copyOf(out);
  }

  private static CertificateConfig certificate(YamlMapping m, List<String> serverNames) {
    YamlValue certValue = m.require("cert", "a PEM certificate chain file");
    YamlValue keyValue = m.require("key", "a PEM private key file");
    Path cert = certValue == null ? null : PemFiles.certificates(certValue);
    Path key = keyValue == null ? null : PemFiles.privateKey(keyValue);
    return cert == null || key == null ? null : new CertificateConfig(cert, key, serverNames);
  }

  /** A file that exists and can be read now. */
  static Path file(YamlValue v) {
    String s = v.nonEmptyString("a file name");
    if (s == null) {
      return null;
    }
    Path p = Path.of(s);
    if (!Files.isRegularFile(p)) {
      v.error("no such file: " + s);
      return null;
    }
    if (!Files.isReadable(p)) {
      v.error("cannot read " + s);
      return null;
    }
    return p;
  }

  static Boolean bool(YamlValue v) {
    String s = v.string("true or false");
    if (s == null) {
      return null;
    }
    return switch (s) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> {
        v.error("expected true or false, got '" + s + "'");
        yield null;
      }
    };
  }
}
