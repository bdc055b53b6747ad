package dev.ferry.proxy.tls;

import dev.ferry.proxy.config.CertificateConfig;
import dev.ferry.proxy.config.TlsConfig;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener's TLS: its certificates by SNI name, the client CA, and a reload that swaps them in
 * for new connections when the files change. Connections already open keep the context they started
 * with.
 */
public final class ServerTls {
  private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

  /** How long a client may take to send its ClientHello and finish the handshake. */
  static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

  /** ClientHellos are a few hundred bytes; a larger one is an attack on the buffer. */
  static final int MAX_CLIENT_HELLO = 16 << 10;

  private final String name;
  private final TlsConfig config;
  private final Mapping<String, SslContext> lookup = host -> current().map(host);
  private volatile Mapping<String, SslContext> contexts;
  private FileStamps loaded;
  private FileStamps failed;

  private ServerTls(String name, TlsConfig config) {
    this.name = name;
    this.config = config;
  }

  /**
   * Loads the listener's certificates; {@code tls: self-signed} is resolved to the user's
   * development certificate first.
   *
   * @param name the listener, for log lines
   * @throws IOException naming the file that cannot be used and why
   */
  public static ServerTls load(String name, TlsConfig config) throws IOException {
    TlsConfig resolved = config;
    if (config.selfSigned()) {
      SelfSignedCertificates.Material m = SelfSignedCertificates.ensure();
      resolved =
          new TlsConfig(
              List.of(new CertificateConfig(m.certificate(), m.key(), List.of())),
              false,
              config.clientCa(),
              config.requireClientCert());
    }
    ServerTls tls = new ServerTls(name, resolved);
    tls.loaded = FileStamps.of(files(resolved));
    tls.contexts = build(resolved);
    return tls;
  }

  /** A new connection's first handler: picks the certificate by SNI and becomes the SslHandler. */
  public ChannelHandler newHandler() {
    return new SniHandler(lookup, MAX_CLIENT_HELLO, HANDSHAKE_TIMEOUT_MILLIS);
  }

  /** Waits for the handshake, logs why it failed, and records the client certificate. */
  public ChannelHandler newHandshakeHandler() {
    return new TlsHandshakeHandler(config.clientCa() != null && config.requireClientCert());
  }

  private Mapping<String, SslContext> current() {
    return contexts;
  }

  /**
   * Loads the certificates again if any of their files changed since the last look; a file that
   * does not load leaves the old certificates in place and is reported once.
   *
   * @return whether new certificates are now in use
   */
  public synchronized boolean reloadIfChanged() {
    FileStamps now = FileStamps.of(files(config));
    if (now.equals(loaded) || now.equals(failed)) {
      return false;
    }
    try {
      contexts = build(config);
      loaded = now;
      failed = null;
      log.info("{}: TLS certificates reloaded", name);
      return true;
    } catch (IOException | RuntimeException e) {
      failed = now;
      log.warn(
          "{}: TLS certificates changed but cannot be used, keeping the old ones: {}",
          name,
          e.getMessage());
      return false;
    }
  }

  private static List<Path> files(TlsConfig c) {
    List<Path> files = new ArrayList<>();
    for (CertificateConfig cert : c.certificates()) {
      files.add(cert.cert());
      files.add(cert.key());
    }
    if (c.clientCa() != null) {
      files.add(c.clientCa());
    }
    return files;
  }

  private static Mapping<String, SslContext> build(TlsConfig c) throws IOException {
    CertificateConfig fallback = null;
    for (CertificateConfig cert : c.certificates()) {
      if (cert.serverNames().isEmpty()) {
        fallback = cert;
        break;
      }
    }
    if (fallback == null) {
      fallback = c.certificates().get(0);
    }
    SslContext fallbackContext = context(fallback, c);
    DomainWildcardMappingBuilder<SslContext> b =
        new DomainWildcardMappingBuilder<>(fallbackContext);
    for (CertificateConfig cert : c.certificates()) {
      SslContext ctx = cert == fallback ? fallbackContext : context(cert, c);
      for (String serverName : cert.serverNames()) {
        b.add(serverName, ctx);
      }
    }
    return b.build();
  }

  private static SslContext context(CertificateConfig cert, TlsConfig c) throws IOException {
    SslContextBuilder b;
    try {
      b = SslContextBuilder.forServer(cert.cert().toFile(), cert.key().toFile());
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "cannot use certificate " + cert.cert() + " with key " + cert.key() + ": " + reason(e),
          e);
    }
    ModernTls.apply(b, ModernTls.SERVER_ALPN);
    if (c.clientCa() != null) {
      b.trustManager(c.clientCa().toFile())
          .clientAuth(c.requireClientCert() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
    }
    try {
      return b.build();
    } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
      throw new IOException(
          "cannot use certificate "
              + cert.cert()
              + (c.clientCa() == null ? "" : " or client CA " + c.clientCa())
              + ": "
              + reason(e),
          e);
    }
  }

  /** The innermost message: "File does not contain valid certificates" beats a wrapper's. */
  private static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  @Override
  public String toString() {
    return name;
  }
}
