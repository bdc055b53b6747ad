package dev.ferry.cli;

import dev.ferry.cli.exit.UserFacingException;
import dev.ferry.proxy.config.CertificateConfig;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.config.TlsConfig;
import dev.ferry.proxy.tls.SelfSignedCertificates;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code --tls self-signed} for every command that serves: makes or reuses the user's development
 * CA and certificate, and tells the user how a client trusts it.
 */
final class DevelopmentTls {
  private DevelopmentTls() {}

  /** The user's development certificate, made now if needed. */
  static SelfSignedCertificates.Material ensure(Map<String, String> environment) {
    Path dir = SelfSignedCertificates.directory(environment);
    try {
      return SelfSignedCertificates.ensure(dir, Instant.now());
    } catch (IOException e) {
      throw new UserFacingException(
          "cannot create the development certificate in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Whether any listener asks for {@code tls: self-signed}. */
  static boolean wanted(ProxyConfig config) {
    return config.listeners().stream().anyMatch(l -> l.tls() != null && l.tls().selfSigned());
  }

  /** {@code config} with every {@code tls: self-signed} replaced by the files of {@code m}. */
  static ProxyConfig resolve(ProxyConfig config, SelfSignedCertificates.Material m) {
    List<ListenerConfig> listeners = new ArrayList<>();
    for (ListenerConfig l : config.listeners()) {
      if (l.tls() != null && l.tls().selfSigned()) {
        TlsConfig files =
            new TlsConfig(
                List.of(new CertificateConfig(m.certificate(), m.key(), List.of())),
                false,
                l.tls().clientCa(),
                l.tls().requireClientCert());
        l = l.toBuilder().tls(files).build();
      }
      listeners.add(l);
    }
    return new ProxyConfig(
        List.copyOf(listeners),
        config.clusters(),
        config.accessLog(),
        config.drainTimeout(),
        config.admin());
  }

  /**
   * Three lines: what was made or reused where, the CA to trust, and the exact {@code ferry call}
   * that reaches {@code address}.
   */
  static List<String> hint(SelfSignedCertificates.Material m, SocketAddress address) {
    String what =
        m.created() == null
            ? "reusing"
            : "ca".equals(m.created()) ? "created a new CA and" : "renewed";
    Path ca = m.caCertificate().toAbsolutePath();
    return List.of(
        "TLS: "
            + what
            + " the development certificate for "
            + String.join(", ", SelfSignedCertificates.NAMES)
            + " in "
            + ca.getParent(),
        "  clients trust the CA " + ca + "; try:",
        "  ferry call --cacert " + ca + " " + reachable(address) + " list");
  }

  static void printHint(SelfSignedCertificates.Material m, SocketAddress address, PrintWriter out) {
    hint(m, address).forEach(out::println);
  }

  /**
   * The address a local client dials: a wildcard bind is reached through loopback, a Unix socket as
   * {@code unix:/path}.
   */
  static String reachable(SocketAddress address) {
    if (!(address instanceof InetSocketAddress a)) {
      return ServeSummary.address(address);
    }
    if (a.getAddress() != null && a.getAddress().isAnyLocalAddress()) {
      return "localhost:" + a.getPort();
    }
    // The IP, IPv6 shortened as a client's target wants it: [::1]:8443.
    return NetUtil.toSocketAddressString(a);
  }
}
