package dev.ferry.proxy.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Development TLS in one flag: a local CA and a certificate for {@code localhost}, {@code
 * 127.0.0.1} and {@code ::1}, kept in a per-user directory and reused, so that a client trusts the
 * CA once and every later run.
 */
public final class SelfSignedCertificates {
  /** Overrides the directory (tests, or a user who wants them elsewhere). */
  public static final String DIRECTORY_ENV = "FERRY_TLS_DIR";

  /** The names the server certificate is valid for. */
  public static final List<String> NAMES = List.of("localhost", "127.0.0.1", "::1");

  /** A server certificate is replaced when it has less than this left. */
  static final Duration RENEW_BEFORE = Duration.ofDays(7);

  private static final Duration CA_VALIDITY = Duration.ofDays(3650);

  /** Under 398 days, the most that browsers and Apple's TLS accept for a server certificate. */
  private static final Duration SERVER_VALIDITY = Duration.ofDays(365);

  /**
   * The files in use.
   *
   * @param caCertificate the CA's certificate, for clients to trust ({@code --cacert})
   * @param certificate the server certificate
   * @param key the server certificate's private key
   * @param created what this run created: {@code "ca"} (all new), {@code "certificate"} (renewed)
   *     or {@code null} (all reused)
   */
  public record Material(Path caCertificate, Path certificate, Path key, String created) {}

  private SelfSignedCertificates() {}

  /**
   * The per-user directory: {@value #DIRECTORY_ENV}, else {@code $XDG_CONFIG_HOME/ferry/tls}, else
   * {@code ~/.config/ferry/tls}.
   */
  public static Path directory(Map<String, String> env) {
    String dir = env.get(DIRECTORY_ENV);
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir);
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "ferry", "tls");
    }
    return Path.of(home(env), ".config", "ferry", "tls");
  }

  /** $HOME as the shell has it, which Java's user.home (read from the password file) ignores. */
  public static String home(Map<String, String> env) {
    String home = env.get("HOME");
    return home != null && !home.isBlank() ? home : System.getProperty("user.home");
  }

  /** The files in the user's directory of this process's environment. */
  public static Material ensure() throws IOException {
    return ensure(directory(System.getenv()), Instant.now());
  }

  /**
   * The CA and server certificate in {@code dir}: reused while valid, the server certificate
   * renewed by the same CA when it nears its end, everything made anew when the CA is missing.
   */
  public static synchronized Material ensure(Path dir, Instant now) throws IOException {
    Path caCert = dir.resolve("ca.pem");
    Path caKey = dir.resolve("ca.key");
    Path cert = dir.resolve("localhost.pem");
    Path key = dir.resolve("localhost.key");
    CertificateAuthority ca = null;
    String created = null;
    if (Files.isRegularFile(caCert) && Files.isRegularFile(caKey)) {
      try {
        ca = CertificateAuthority.read(caCert, caKey);
        if (!validAt(ca.certificate(), now.plus(RENEW_BEFORE))) {
          ca = null;
        }
      } catch (IOException | RuntimeException e) {
        ca = null; // unreadable: start over rather than fail a development server
      }
    }
    if (ca == null) {
      ca = CertificateAuthority.create("ferry development CA", now.plus(CA_VALIDITY));
      ca.write(caCert, caKey);
      created = "ca";
    }
    if (created != null || !serverCertificateUsable(ca, cert, key, now)) {
      ca.issueServer(NAMES, now.minus(Duration.ofHours(1)), now.plus(SERVER_VALIDITY))
          .write(cert, key);
      if (created == null) {
        created = "certificate";
      }
    }
    return new Material(caCert, cert, key, created);
  }

  private static boolean serverCertificateUsable(
      CertificateAuthority ca, Path cert, Path key, Instant now) {
    if (!Files.isRegularFile(cert) || !Files.isRegularFile(key)) {
      return false;
    }
    try {
      X509Certificate c = CertificateAuthority.readCertificate(cert);
      c.verify(ca.certificate().getPublicKey());
      return validAt(c, now.plus(RENEW_BEFORE));
    } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static boolean validAt(X509Certificate c, Instant t) {
    return c.getNotAfter().toInstant().isAfter(t);
  }
}
