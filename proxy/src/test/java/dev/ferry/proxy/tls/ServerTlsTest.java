package dev.ferry.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.proxy.config.TlsConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsTest {
  @TempDir Path dir;
  private EventLoopGroup group;
  private Channel server;
  private TestPki.Ca ca;

  @BeforeEach
  void setUp() throws IOException {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    ca = new TestPki(dir).ca("reload");
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private int serve(ServerTls tls) {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(tls.newHandler(), new TlsHandshakeHandler(false));
                  }
                })
            .bind("127.0.0.1", 0)
            .syncUninterruptibly()
            .channel();
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  private SSLSocket handshake(int port, String protocol, String cipher) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    ks.setCertificateEntry("ca", CertificateAuthority.readCertificate(ca.cert));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
    s.setEnabledProtocols(new String[] {protocol});
    if (cipher != null) {
      s.setEnabledCipherSuites(new String[] {cipher});
    }
    s.startHandshake();
    return s;
  }

  @Test
  void tls12WithAnAeadCipher_isAccepted_cbcIsNot() throws Exception {
    TestPki.Pair pair = ca.server("server", "127.0.0.1");
    int port = serve(ServerTls.load("test", TlsConfig.of(pair.cert(), pair.key())));

    try (SSLSocket ok = handshake(port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
      assertThat(ok.getSession().getProtocol()).isEqualTo("TLSv1.2");
    }
    try (SSLSocket ok = handshake(port, "TLSv1.3", null)) {
      assertThat(ok.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }
    assertThatThrownBy(
            () -> handshake(port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256").close())
        .isInstanceOf(IOException.class);
  }

  private BigInteger presentedSerial(int port) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    ks.setCertificateEntry("ca", CertificateAuthority.readCertificate(ca.cert));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.startHandshake();
      return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }

  private static BigInteger serialOf(Path cert) throws IOException {
    return CertificateAuthority.readCertificate(cert).getSerialNumber();
  }

  @Test
  void changedCertificateFiles_areServedToNewConnections() throws Exception {
    TestPki.Pair first = ca.server("server", "127.0.0.1");
    BigInteger firstSerial = serialOf(first.cert());
    ServerTls tls = ServerTls.load("test", TlsConfig.of(first.cert(), first.key()));
    int port = serve(tls);
    assertThat(presentedSerial(port)).isEqualTo(firstSerial);
    assertThat(tls.reloadIfChanged()).isFalse();

    TestPki.Pair second = ca.server("server", "127.0.0.1"); // same files, new contents

    assertThat(tls.reloadIfChanged()).isTrue();
    assertThat(presentedSerial(port)).isEqualTo(serialOf(second.cert())).isNotEqualTo(firstSerial);
  }

  @Test
  void brokenNewFile_keepsTheOldCertificate_andIsReportedOnce() throws Exception {
    TestPki.Pair pair = ca.server("server", "127.0.0.1");
    BigInteger serial = serialOf(pair.cert());
    ServerTls tls = ServerTls.load("test", TlsConfig.of(pair.cert(), pair.key()));
    int port = serve(tls);

    Files.writeString(pair.key(), "-----BEGIN PRIVATE KEY-----\nnot a key\n");

    assertThat(tls.reloadIfChanged()).isFalse();
    assertThat(tls.reloadIfChanged()).isFalse();
    assertThat(presentedSerial(port)).isEqualTo(serial);
  }

  @Test
  void unusableFileAtStart_namesTheFile() throws Exception {
    TestPki.Pair pair = ca.server("server", "127.0.0.1");
    Files.writeString(pair.cert(), "garbage");

    assertThatThrownBy(() -> ServerTls.load("test", TlsConfig.of(pair.cert(), pair.key())))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(pair.cert().toString());
  }

  @Test
  void selfSigned_isCreatedOnce_andReused() throws Exception {
    Path tlsDir = dir.resolve("selfsigned");
    var first = SelfSignedCertificates.ensure(tlsDir, java.time.Instant.now());
    var again = SelfSignedCertificates.ensure(tlsDir, java.time.Instant.now());

    assertThat(first.created()).isEqualTo("ca");
    assertThat(again.created()).isNull();
    assertThat(Files.readString(again.caCertificate()))
        .isEqualTo(Files.readString(first.caCertificate()));
    X509Certificate leaf = CertificateAuthority.readCertificate(again.certificate());
    leaf.verify(CertificateAuthority.readCertificate(again.caCertificate()).getPublicKey());
    assertThat(leaf.getSubjectAlternativeNames())
        .extracting(n -> (Object) n.get(1))
        .containsExactlyInAnyOrder((Object) "localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
    assertThat(Files.getPosixFilePermissions(again.key()))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void selfSigned_renewsANearlyExpiredCertificate_withTheSameCa() throws Exception {
    Path tlsDir = dir.resolve("selfsigned");
    java.time.Instant now = java.time.Instant.now();
    var first = SelfSignedCertificates.ensure(tlsDir, now);
    String ca = Files.readString(first.caCertificate());

    var later = SelfSignedCertificates.ensure(tlsDir, now.plus(java.time.Duration.ofDays(360)));

    assertThat(later.created()).isEqualTo("certificate");
    assertThat(Files.readString(later.caCertificate())).isEqualTo(ca);
    assertThat(List.of(later.certificate(), later.key())).allMatch(Files::isRegularFile);
  }
}
