package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.route;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.CertificateConfig;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.ClusterConfig.Protocol;
import dev.ferry.proxy.config.Endpoint;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.config.RouteMatch;
import dev.ferry.proxy.config.TlsConfig;
import dev.ferry.proxy.tls.CertificateAuthority;
import dev.ferry.proxy.tls.TestPki;
import dev.ferry.testservers.ExampleRestServer;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Real TLS handshakes against a TLS listener: grpc-java over h2, HTTP/1.1 over the same port. */
class TlsTerminationTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  @TempDir Path dir;
  private TestPki pki;
  private TestPki.Ca ca;
  private ExampleServer greeter;
  private ExampleRestServer rest;

  @BeforeEach
  void setUp() throws Exception {
    pki = new TestPki(dir);
    ca = pki.ca("test");
    greeter = fixture.example(ExampleServer.Kind.GREETER);
    rest = fixture.closeLater(ExampleRestServer.start("127.0.0.1", 0));
  }

  private ProxyServer proxy(TlsConfig tls) throws Exception {
    Map<String, ClusterConfig> clusters = new LinkedHashMap<>();
    clusters.put(
        "greeter",
        ProxyFixture.cluster("greeter", BalancePolicy.ROUND_ROBIN, greeter.address().getPort()));
    clusters.put(
        "rest",
        ClusterConfig.builder(
                "rest", List.of(Endpoint.tcp("127.0.0.1", rest.address().getPort(), 1)))
            .protocol(Protocol.HTTP1)
            .connectTimeout(Duration.ofSeconds(2))
            .connectRetries(0)
            .dnsRefresh(Duration.ZERO)
            .build());
    ListenerConfig l =
        ListenerConfig.builder(
                "127.0.0.1",
                0,
                List.of(
                    service("helloworld.Greeter", "greeter"),
                    route(new RouteMatch(null, null, "/api/", null, List.of()), "rest", null)))
            .idleTimeout(Duration.ZERO)
            .tls(tls)
            .build();
    return fixture.proxy(new ProxyConfig(List.of(l), clusters, null, Duration.ofSeconds(1)));
  }

  private ManagedChannel channel(ProxyServer proxy, ChannelCredentials creds, String authority) {
    var b =
        Grpc.newChannelBuilderForAddress(
            "127.0.0.1", proxy.boundAddresses().get(0).getPort(), creds);
    if (authority != null) {
      b.overrideAuthority(authority);
    }
    ManagedChannel ch = b.build();
    fixture.closeLater(
        () -> {
          ch.shutdownNow();
          ch.awaitTermination(5, TimeUnit.SECONDS);
        });
    return ch;
  }

  private static String hello(ManagedChannel ch) {
    return GreeterGrpc.newBlockingStub(ch)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .sayHello(HelloRequest.newBuilder().setName("tls").build())
        .getMessage();
  }

  private static ChannelCredentials trusting(Path caFile) throws Exception {
    return TlsChannelCredentials.newBuilder().trustManager(caFile.toFile()).build();
  }

  @Test
  void grpcClientTrustingTheCa_callsThroughTheTlsListener() throws Exception {
    TestPki.Pair server = ca.server("server", "127.0.0.1", "localhost");
    ProxyServer proxy = proxy(TlsConfig.of(server.cert(), server.key()));

    assertThat(hello(channel(proxy, trusting(ca.cert), null))).isEqualTo("Hello, tls!");
  }

  @Test
  void http11Client_isServedOnTheSameTlsPort() throws Exception {
    TestPki.Pair server = ca.server("server", "127.0.0.1", "localhost");
    ProxyServer proxy = proxy(TlsConfig.of(server.cert(), server.key()));
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(sslContextTrusting(ca.cert))
            .build();

    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "https://localhost:" + proxy.boundAddresses().get(0).getPort() + "/api/x"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(r.body()).contains("\"path\":\"/api/x\"");
  }

  @Test
  void http2RestClient_negotiatesH2ByAlpn() throws Exception {
    TestPki.Pair server = ca.server("server", "127.0.0.1", "localhost");
    ProxyServer proxy = proxy(TlsConfig.of(server.cert(), server.key()));
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .sslContext(sslContextTrusting(ca.cert))
            .build();

    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "https://localhost:" + proxy.boundAddresses().get(0).getPort() + "/api/y"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
  }

  @Test
  void clientTrustingAnotherCa_failsTheHandshake_andOthersKeepWorking() throws Exception {
    TestPki.Pair server = ca.server("server", "127.0.0.1");
    ProxyServer proxy = proxy(TlsConfig.of(server.cert(), server.key()));
    TestPki.Ca other = pki.ca("other");

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> hello(channel(proxy, trusting(other.cert), null)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(hello(channel(proxy, trusting(ca.cert), null))).isEqualTo("Hello, tls!");
  }

  @Test
  void expiredServerCertificate_isRefusedByTheClient() throws Exception {
    Instant now = Instant.now();
    TestPki.Pair expired =
        ca.server(
            "expired", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)), "127.0.0.1");
    ProxyServer proxy = proxy(TlsConfig.of(expired.cert(), expired.key()));

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> hello(channel(proxy, trusting(ca.cert), null)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(causes(e)).containsIgnoringCase("expired");
  }

  @Test
  void sni_choosesTheCertificateForTheRequestedName() throws Exception {
    TestPki.Pair a = ca.server("a", "a.test");
    TestPki.Pair b = ca.server("b", "b.test", "*.b.test");
    TestPki.Pair fallback = ca.server("default", "127.0.0.1");
    ProxyServer proxy =
        proxy(
            new TlsConfig(
                List.of(
                    new CertificateConfig(a.cert(), a.key(), List.of("a.test")),
                    new CertificateConfig(fallback.cert(), fallback.key(), List.of()),
                    new CertificateConfig(b.cert(), b.key(), List.of("b.test", "*.b.test"))),
                false,
                null,
                false));
    int port = proxy.boundAddresses().get(0).getPort();

    assertThat(presentedName(port, "a.test")).isEqualTo("CN=a.test");
    assertThat(presentedName(port, "b.test")).isEqualTo("CN=b.test");
    assertThat(presentedName(port, "x.b.test")).isEqualTo("CN=b.test");
    assertThat(presentedName(port, "unknown.test")).isEqualTo("CN=127.0.0.1");
    assertThat(presentedName(port, null)).isEqualTo("CN=127.0.0.1");
    // And grpc-java's hostname check passes with each name.
    assertThat(hello(channel(proxy, trusting(ca.cert), "a.test"))).isEqualTo("Hello, tls!");
    assertThat(hello(channel(proxy, trusting(ca.cert), "b.test"))).isEqualTo("Hello, tls!");
  }

  /** The subject of the certificate the listener presents for SNI {@code name} (none if null). */
  private String presentedName(int port, String name) throws Exception {
    SSLContext ctx = sslContextTrusting(ca.cert);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      SSLParameters p = s.getSSLParameters();
      p.setServerNames(name == null ? List.of() : List.of(new SNIHostName(name)));
      s.setSSLParameters(p);
      s.startHandshake();
      X509Certificate leaf = (X509Certificate) s.getSession().getPeerCertificates()[0];
      return leaf.getSubjectX500Principal().getName();
    }
  }

  static SSLContext sslContextTrusting(Path caFile) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    ks.setCertificateEntry("ca", CertificateAuthority.readCertificate(caFile));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  static String causes(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t).append('\n');
    }
    return sb.toString();
  }
}
