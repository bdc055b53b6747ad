package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.ClusterConfig.Protocol;
import dev.ferry.proxy.config.Endpoint;
import dev.ferry.proxy.config.RouteMatch;
import dev.ferry.proxy.config.UpstreamTlsConfig;
import dev.ferry.proxy.tls.CertificateAuthority;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** https:// backends: HTTP/1.1 over TLS to a REST server, its certificate checked. */
class UpstreamHttpsTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  @TempDir Path dir;

  @Test
  void restBackendOverTls_isReachedAndChecked() throws Exception {
    CertificateAuthority ca =
        CertificateAuthority.create("rest-ca", Instant.now().plus(Duration.ofDays(1)));
    Path caFile = dir.resolve("ca.pem");
    CertificateAuthority.writeCertificate(ca.certificate(), caFile);
    CertificateAuthority.Issued cert =
        ca.issueServer(
            List.of("127.0.0.1"), Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(
        "k", cert.key(), new char[0], new Certificate[] {cert.certificate(), ca.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    HttpsServer rest = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    rest.setHttpsConfigurator(new HttpsConfigurator(ssl));
    rest.createContext(
        "/",
        ex -> {
          byte[] b = ("secure " + ex.getRequestURI()).getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    rest.start();
    fixture.closeLater(() -> rest.stop(0));
    ClusterConfig c =
        ClusterConfig.builder(
                "rest", List.of(Endpoint.tcp("127.0.0.1", rest.getAddress().getPort(), 1)))
            .protocol(Protocol.HTTP1)
            .connectRetries(0)
            .dnsRefresh(Duration.ZERO)
            .tls(new UpstreamTlsConfig(caFile, null, null, null, false))
            .build();
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(route(new RouteMatch(null, null, "/", null, List.of()), "rest", null)), c));

    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + proxy.boundAddresses().get(0).getPort() + "/a"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("secure /a");
  }
}
