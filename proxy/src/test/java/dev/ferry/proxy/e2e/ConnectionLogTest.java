package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.CertificateConfig;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ListenerLimits;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.config.TlsConfig;
import dev.ferry.proxy.connectionlog.CapturedLog;
import dev.ferry.proxy.tls.CertificateAuthority;
import dev.ferry.proxy.tls.TestPki;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections that never become a call: a plaintext client on a TLS port is told so in its own
 * protocol, and each refused connection leaves one line in ferry's own log naming the cause and the
 * peer.
 */
class ConnectionLogTest {
  private static final String REQUIRES_TLS =
      "ferry: this port requires TLS; the plaintext request was refused";

  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  @RegisterExtension final CapturedLog captured = new CapturedLog();
  @TempDir Path dir;
  private TestBackend backend;
  private TestPki.Ca serverCa;
  private TestPki.Ca clientCa;

  @BeforeEach
  void setUp() throws Exception {
    backend = fixture.backend();
    TestPki pki = new TestPki(dir);
    serverCa = pki.ca("server");
    clientCa = pki.ca("clients");
  }

  /** A proxy with one listener, TLS when {@code tls} is given; returns its port. */
  private int proxy(TlsConfig tls, ListenerLimits limits) throws Exception {
    ListenerConfig l =
        ListenerConfig.builder("127.0.0.1", 0, List.of(service("helloworld.Greeter", "greeter")))
            .idleTimeout(Duration.ZERO)
            .tls(tls)
            .limits(limits)
            .build();
    ProxyServer proxy =
        fixture.proxy(
            new ProxyConfig(
                List.of(l),
                Map.of("greeter", cluster("greeter", BalancePolicy.ROUND_ROBIN, backend.port())),
                null,
                Duration.ofSeconds(1)));
    return proxy.boundAddresses().get(0).getPort();
  }

  private int tlsProxy(boolean requireClientCert) throws Exception {
    TestPki.Pair server = serverCa.server("proxy", "127.0.0.1");
    return proxy(
        new TlsConfig(
            List.of(new CertificateConfig(server.cert(), server.key(), List.of())),
            false,
            requireClientCert ? clientCa.cert : null,
            requireClientCert),
        ListenerLimits.DEFAULTS);
  }

  /** The lines logged for the connection from {@code client}'s local port. */
  private List<String> linesOf(Socket client) {
    return captured.lines("R:/127.0.0.1:" + client.getLocalPort() + "]");
  }

  private static String readAll(Socket s) throws Exception {
    s.setSoTimeout(20_000);
    try (InputStream in = s.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void plaintextHttp11OnATlsPort_gets400WithAOneLineBody_andOneLogLine() throws Exception {
    int port = tlsProxy(false);

    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream()
          .write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

      String response = readAll(s);

      assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n");
      assertThat(response).endsWith("\r\n\r\n" + REQUIRES_TLS + "\n");
      assertThat(linesOf(s))
          .singleElement(InstanceOfAssertFactories.STRING)
          .contains("INFO")
          .endsWith("plaintext HTTP/1.1 on a TLS port: answered 400 saying it requires TLS");
    }
  }

  @Test
  void http2PrefaceOnATlsPort_getsSettings_thenUnavailable_thenGoAwaySayingItRequiresTls()
      throws Exception {
    int port = tlsProxy(false);

    try (RawHttp2Client c = new RawHttp2Client(port).preface()) {
      c.headers(1, RawHttp2Client.sayHello(), true).flush();
      RawHttp2Client.Frame settings = c.next();
      RawHttp2Client.Frame answer = c.next();
      RawHttp2Client.Frame goAway = c.next();

      assertThat(settings.type()).isEqualTo(RawHttp2Client.SETTINGS);
      assertThat(answer.type()).isEqualTo(RawHttp2Client.HEADERS);
      assertThat(answer.streamId()).isEqualTo(1);
      assertThat(c.decodeHeaders(answer).get("grpc-status").toString()).isEqualTo("14");
      assertThat(c.decodeHeaders(answer).get("grpc-message").toString()).isEqualTo(REQUIRES_TLS);
      assertThat(goAway.type()).isEqualTo(RawHttp2Client.GOAWAY);
      assertThat(goAway.errorCode()).isEqualTo((int) Http2Error.PROTOCOL_ERROR.code());
      assertThat(goAway.debugData()).isEqualTo(REQUIRES_TLS);
      assertThat(c.awaitClose()).isTrue();
    }
    assertThat(captured.lines("plaintext HTTP/2 on a TLS port: answered GOAWAY")).hasSize(1);
  }

  @Test
  void curlSpeakingHttpToATlsPort_showsTheBody() throws Exception {
    Path curl = Path.of("/usr/bin/curl");
    assumeTrue(Files.isExecutable(curl), "curl is not installed");
    int port = tlsProxy(false);

    Process p =
        new ProcessBuilder(curl.toString(), "-sS", "--max-time", "20", "http://127.0.0.1:" + port)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out).isEqualTo(REQUIRES_TLS + "\n");
  }

  @Test
  void tlsClientOnAPlaintextPort_isClosed_withOneLogLine() throws Exception {
    int port = proxy(null, ListenerLimits.DEFAULTS);
    SSLContext tlsClient = client(null);

    try (SSLSocket s = (SSLSocket) tlsClient.getSocketFactory().createSocket("127.0.0.1", port)) {
      Throwable failed = catchThrowable(s::startHandshake);

      assertThat(failed).isNotNull();
      assertThat(linesOf(s))
          .singleElement(InstanceOfAssertFactories.STRING)
          .endsWith("the client spoke TLS to a plaintext port (a TLS ClientHello): closed");
    }
  }

  @Test
  void clientWithoutACertificate_underMutualTls_isLoggedOnce() throws Exception {
    int port = tlsProxy(true);

    try (SSLSocket s = handshakeAndRead(client(null), port)) {
      assertThat(linesOf(s))
          .singleElement(InstanceOfAssertFactories.STRING)
          .contains("TLS handshake failed (this listener requires a client certificate)");
    }
  }

  @Test
  void clientCertificateFromAnUnknownCa_isLoggedOnce_namingIt() throws Exception {
    int port = tlsProxy(true);
    CertificateAuthority stranger =
        CertificateAuthority.create("stranger", Instant.now().plusSeconds(86400));
    CertificateAuthority.Issued cert =
        stranger.issueClient(
            "stranger", Instant.now().minusSeconds(60), Instant.now().plusSeconds(86400));

    try (SSLSocket s = handshakeAndRead(presenting(cert), port)) {
      assertThat(linesOf(s))
          .singleElement(InstanceOfAssertFactories.STRING)
          .endsWith(
              "client certificate refused: it is not signed by the listener's client CA"
                  + " (unknown CA)");
    }
  }

  /**
   * A JDK TLS client that presents {@code cert} whatever CAs the server asks for, as a client
   * configured with the wrong certificate does (the JDK and grpc-java would send none).
   */
  private SSLContext presenting(CertificateAuthority.Issued cert) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("client", cert.key(), new char[0], new Certificate[] {cert.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, new char[0]);
    X509ExtendedKeyManager keys = (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
    KeyManager always =
        new X509ExtendedKeyManager() {
          @Override
          public String chooseEngineClientAlias(String[] types, Principal[] issuers, SSLEngine e) {
            return "client";
          }

          @Override
          public String chooseClientAlias(String[] types, Principal[] issuers, Socket socket) {
            return "client";
          }

          @Override
          public String[] getClientAliases(String type, Principal[] issuers) {
            return new String[] {"client"};
          }

          @Override
          public String[] getServerAliases(String type, Principal[] issuers) {
            return null;
          }

          @Override
          public String chooseServerAlias(String type, Principal[] issuers, Socket socket) {
            return null;
          }

          @Override
          public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
          }

          @Override
          public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
          }
        };
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("server-ca", CertificateAuthority.readCertificate(serverCa.cert));
    tmf.init(trusted);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(new KeyManager[] {always}, tmf.getTrustManagers(), null);
    return ctx;
  }

  @Test
  void pingFlood_logsTheLimitAndThePeerOnce() throws Exception {
    int port = proxy(null, AbuseTest.LIMITS);

    try (RawHttp2Client c = new RawHttp2Client(port).preface()) {
      for (int i = 0; i < 500; i++) {
        c.ping(i);
      }
      c.flush();
      assertThat(c.await(RawHttp2Client.GOAWAY)).isNotNull();
      assertThat(c.awaitClose()).isTrue();
    }
    assertThat(captured.lines("closing abusive connection"))
        .singleElement(InstanceOfAssertFactories.STRING)
        .contains("WARN")
        .contains("R:/127.0.0.1:")
        .endsWith(
            "closing abusive connection: PING flood: more than 100 PING/SETTINGS frames in 10s");
  }

  @Test
  void headerBlockFarOverTheLimit_isLoggedAsAnAbuseLimit_withTheLimitAndTheSize() throws Exception {
    int port = proxy(null, AbuseTest.LIMITS);

    try (RawHttp2Client c = new RawHttp2Client(port).preface()) {
      // Over Netty's connection threshold (the 16 KiB limit and a quarter): not a stream's 431.
      c.headers(1, RawHttp2Client.sayHello().set("x-big", "x".repeat(100_000)), true).flush();
      assertThat(c.awaitClose()).isTrue();
    }
    assertThat(captured.lines("closing abusive connection"))
        .singleElement(InstanceOfAssertFactories.STRING)
        .contains("WARN")
        .contains("R:/127.0.0.1:")
        .containsPattern(
            "closing abusive connection: header list over the limit of 16384 bytes: a header block"
                + " of \\d{5,} bytes \\(compressed, as much as had arrived; a block over 20480 bytes"
                + " closes the connection, a smaller one gets 431\\)$");
  }

  /** A JDK TLS client trusting the server CA, presenting {@code cert} if given. */
  private SSLContext client(TestPki.Pair cert) throws Exception {
    SslContextBuilder b =
        SslContextBuilder.forClient()
            .sslProvider(SslProvider.JDK)
            .trustManager(serverCa.cert.toFile());
    if (cert != null) {
      b.keyManager(cert.cert().toFile(), cert.key().toFile());
    }
    return ((JdkSslContext) b.build()).context();
  }

  /** Handshakes and reads until the server ends the connection, as it does a refused client. */
  private static SSLSocket handshakeAndRead(SSLContext ctx, int port) throws Exception {
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
    s.setSoTimeout(20_000);
    Throwable failed =
        catchThrowable(
            () -> {
              s.startHandshake();
              s.getInputStream().read();
            });
    assertThat(failed).as("the server ended the connection with an error").isNotNull();
    return s;
  }
}
