package dev.ferry.proxy.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.regex.Pattern;

/**
 * Checks TLS files as the proxy will load them at start (PEM, as Netty reads them), so that {@code
 * --check} and a reload refuse what start would refuse, at the key's line.
 */
final class PemFiles {
  private static final String CERTIFICATE = "-----BEGIN CERTIFICATE-----";
  // The same header Netty's PemReader looks for: PKCS#8, PKCS#1 (RSA), SEC 1 (EC), encrypted.
  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-+BEGIN\\s[^-\\r\\n]*PRIVATE\\s+KEY[^-\\r\\n]*-+");

  private PemFiles() {}

  /** A readable PEM file of one or more X.509 certificates, or {@code null} after reporting. */
  static Path certificates(YamlValue v) {
    Path p = TlsReader.file(v);
    byte[] bytes = p == null ? null : read(v, p);
    if (bytes == null) {
      return null;
    }
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    if (!text.contains(CERTIFICATE)) {
      v.error(p + ": not a PEM certificate file (no " + CERTIFICATE + " block)");
      return null;
    }
    try {
      CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
    } catch (CertificateException e) {
      v.error(p + ": not a valid PEM certificate: " + e.getMessage());
      return null;
    }
    return p;
  }

  /** A readable PEM private key file, or {@code null} after reporting. */
  static Path privateKey(YamlValue v) {
    Path p = TlsReader.file(v);
    byte[] bytes = p == null ? null : read(v, p);
    if (bytes == null) {
      return null;
    }
    if (!PRIVATE_KEY.matcher(new String(bytes, StandardCharsets.ISO_8859_1)).find()) {
      v.error(p + ": not a PEM private key file (no -----BEGIN PRIVATE KEY----- block)");
      return null;
    }
    return p;
  }

  private static byte[] read(YamlValue v, Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      v.error("cannot read " + p + ": " + e.getMessage());
      return null;
    }
  }
}
