package dev.ferry.proxy.config;

import static dev.ferry.proxy.config.ConfigLoaderTest.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.tls.SelfSignedCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listener's {@code tls:} key in its three forms, and its errors. */
class TlsConfigReaderTest {
  @TempDir Path dir;
  private String cert;
  private String key;

  @BeforeEach
  void files() throws Exception {
    // Real PEM files: the reader checks them as start would load them.
    SelfSignedCertificates.Material m = SelfSignedCertificates.ensure(dir, Instant.now());
    cert = m.certificate().toString();
    key = m.key().toString();
  }

  static String listener(String tls) {
    return "listeners:\n  - address: 127.0.0.1:8443\n    tls: "
        + tls
        + "\n    routes: [ { match: { prefix: / }, cluster: c } ]\n"
        + "clusters:\n  c: { endpoints: [127.0.0.1:1] }\n";
  }

  private static TlsConfig tls(String yaml) throws ConfigException {
    return ConfigLoader.parse("ferry.yaml", listener(yaml)).listeners().get(0).tls();
  }

  @Test
  void selfSigned_isOneWord() throws Exception {
    assertThat(tls("self-signed")).isEqualTo(TlsConfig.selfSignedConfig());
  }

  @Test
  void certAndKey_makeOneDefaultCertificate() throws Exception {
    TlsConfig t = tls("{ cert: " + cert + ", key: " + key + " }");

    assertThat(t.certificates())
        .containsExactly(new CertificateConfig(Path.of(cert), Path.of(key), List.of()));
    assertThat(t.clientCa()).isNull();
  }

  @Test
  void certificatesBySni_andAClientCa_requireClientCertsByDefault() throws Exception {
    TlsConfig t =
        tls(
            "{ certificates: [ { cert: "
                + cert
                + ", key: "
                + key
                + ", server_names: [API.example.com, '*.example.com'] }, { cert: "
                + cert
                + ", key: "
                + key
                + " } ], client_ca: "
                + cert
                + " }");

    assertThat(t.certificates()).hasSize(2);
    assertThat(t.certificates().get(0).serverNames())
        .containsExactly("api.example.com", "*.example.com");
    assertThat(t.clientCa()).isEqualTo(Path.of(cert));
    assertThat(t.requireClientCert()).isTrue();
  }

  @Test
  void misspeltSelfSigned_suggestsIt() {
    assertThat(error(listener("selfsigned")))
        .startsWith("ferry.yaml:3:5: listeners[0].tls: expected self-signed, or")
        .endsWith("got 'selfsigned' (did you mean 'self-signed'?)");
  }

  @Test
  void missingFile_isNamedWithItsLine() {
    assertThat(error(listener("{ cert: /nonexistent/s.pem, key: " + key + " }")))
        .isEqualTo("ferry.yaml:3:12: listeners[0].tls.cert: no such file: /nonexistent/s.pem");
  }

  @Test
  void certOrKeyThatIsNotPem_isAnErrorAtItsLine_asStartWouldRefuseIt() throws Exception {
    String notPem = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n").toString();

    assertThat(error(listener("{ cert: " + notPem + ", key: " + key + " }")))
        .isEqualTo(
            "ferry.yaml:3:12: listeners[0].tls.cert: "
                + notPem
                + ": not a PEM certificate file (no -----BEGIN CERTIFICATE----- block)");
    assertThat(error(listener("{ cert: " + cert + ", key: " + notPem + " }")))
        .startsWith("ferry.yaml:3:")
        .endsWith(
            "listeners[0].tls.key: "
                + notPem
                + ": not a PEM private key file (no -----BEGIN PRIVATE KEY----- block)");
    String broken =
        Files.writeString(
                dir.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n")
            .toString();
    assertThat(error(listener("{ cert: " + broken + ", key: " + key + " }")))
        .startsWith(
            "ferry.yaml:3:12: listeners[0].tls.cert: " + broken + ": not a valid PEM certificate");
  }

  @Test
  void certAndCertificates_areOneOrTheOther() {
    assertThat(
            error(
                listener(
                    "{ cert: "
                        + cert
                        + ", key: "
                        + key
                        + ", certificates: [ { cert: "
                        + cert
                        + ", key: "
                        + key
                        + " } ] }")))
        .endsWith(
            "listeners[0].tls.certificates: give either cert and key, or certificates, not both");
  }

  @Test
  void requireClientCertWithoutCa_isAnError() {
    assertThat(
            error(listener("{ cert: " + cert + ", key: " + key + ", require_client_cert: true }")))
        .endsWith(
            "listeners[0].tls.require_client_cert: needs client_ca: the CA client certificates"
                + " chain to");
  }

  @Test
  void unknownKey_getsDidYouMean() {
    assertThat(error(listener("{ cert: " + cert + ", key: " + key + ", client_cert: x }")))
        .endsWith("listeners[0].tls.client_cert: unknown key (did you mean 'client_ca'?)");
  }

  @Test
  void clientSubject_isARouteMatchRegex() throws Exception {
    String yaml =
        "listeners:\n  - address: 127.0.0.1:8443\n    routes: [ { match: { client_subject:"
            + " 'CN=billing,.*' }, cluster: c } ]\nclusters:\n  c: { endpoints: [127.0.0.1:1] }\n";

    RouteMatch m =
        ConfigLoader.parse("ferry.yaml", yaml).listeners().get(0).routes().get(0).match();

    assertThat(m.clientSubject().pattern()).isEqualTo("CN=billing,.*");
  }

  @Test
  void badClientSubjectRegex_isReported() {
    String yaml =
        "listeners:\n  - address: 127.0.0.1:8443\n    routes: [ { match: { client_subject:"
            + " 'CN=(' }, cluster: c } ]\nclusters:\n  c: { endpoints: [127.0.0.1:1] }\n";

    assertThat(error(yaml))
        .startsWith("ferry.yaml:3:26: listeners[0].routes[0].match.client_subject: invalid regex");
  }

  private static ClusterConfig cluster(String body) throws ConfigException {
    String yaml =
        "listeners:\n  - address: 127.0.0.1:8443\n    routes: [ { match: { prefix: / }, cluster: c }"
            + " ]\nclusters:\n  c: "
            + body
            + "\n";
    return ConfigLoader.parse("ferry.yaml", yaml).clusters().get("c");
  }

  @Test
  void grpcsEndpoints_meanH2OverTlsWithTheDefaults() throws Exception {
    ClusterConfig c = cluster("{ endpoints: [grpcs://127.0.0.1:50051, 'grpcs://[::1]:50051'] }");

    assertThat(c.protocol()).isEqualTo(ClusterConfig.Protocol.H2);
    assertThat(c.tls()).isEqualTo(UpstreamTlsConfig.DEFAULT);
    assertThat(c.endpoints())
        .extracting(Endpoint::toString)
        .containsExactly("127.0.0.1:50051", "[::1]:50051");
  }

  @Test
  void httpsEndpoints_withClusterTls_meanHttp1OverTls() throws Exception {
    ClusterConfig c =
        cluster(
            "{ endpoints: [https://api:443], tls: { ca: "
                + cert
                + ", server_name: api.internal } }");

    assertThat(c.protocol()).isEqualTo(ClusterConfig.Protocol.HTTP1);
    assertThat(c.tls())
        .isEqualTo(new UpstreamTlsConfig(Path.of(cert), "api.internal", null, null, false));
  }

  @Test
  void mixedSchemes_areAnError() {
    assertThat(
            error(
                "listeners:\n  - address: 127.0.0.1:1\n    routes: [ { match: { prefix: / },"
                    + " cluster: c } ]\nclusters:\n  c: { endpoints: [grpcs://a:1, b:2] }\n"))
        .endsWith("all endpoints of a cluster use the same scheme (the first has 'grpcs')");
  }

  @Test
  void insecureWithACa_isOneOrTheOther() {
    assertThat(
            error(
                "listeners:\n  - address: 127.0.0.1:1\n    routes: [ { match: { prefix: / },"
                    + " cluster: c } ]\nclusters:\n  c: { endpoints: [grpcs://a:1], tls: { ca: "
                    + cert
                    + ", insecure: true } }\n"))
        .endsWith("clusters.c.tls.insecure: insecure: true ignores ca: give one or the other");
  }
}
