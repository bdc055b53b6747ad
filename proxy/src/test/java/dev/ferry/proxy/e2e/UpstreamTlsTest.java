package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.Endpoint;
import dev.ferry.proxy.config.UpstreamTlsConfig;
import dev.ferry.proxy.tls.TestPki;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** grpcs:// backends: ferry checks their certificate against the cluster's CA and name. */
class UpstreamTlsTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  @TempDir Path dir;
  private TestPki pki;
  private TestPki.Ca ca;

  @BeforeEach
  void setUp() throws Exception {
    pki = new TestPki(dir);
    ca = pki.ca("backends");
  }

  private ExampleServer tlsGreeter(String... names) throws Exception {
    TestPki.Pair cert = ca.server("greeter", names);
    ExampleServer s =
        ExampleServer.builder(ExampleServer.Kind.GREETER).tls(cert.cert(), cert.key()).start();
    return fixture.closeLater(s);
  }

  private String helloThrough(ExampleServer backend, UpstreamTlsConfig tls) throws Exception {
    ClusterConfig c =
        ClusterConfig.builder(
                "greeter", List.of(Endpoint.tcp("127.0.0.1", backend.address().getPort(), 1)))
            .connectRetries(0)
            .dnsRefresh(Duration.ZERO)
            .tls(tls)
            .build();
    ProxyServer proxy = fixture.proxy(config(List.of(service("helloworld.Greeter", "greeter")), c));
    return GreeterGrpc.newBlockingStub(fixture.channel(proxy))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .sayHello(HelloRequest.newBuilder().setName("up").build())
        .getMessage();
  }

  @Test
  void backendCertificateFromTheClusterCa_isAccepted() throws Exception {
    ExampleServer greeter = tlsGreeter("127.0.0.1");

    assertThat(helloThrough(greeter, new UpstreamTlsConfig(ca.cert, null, null, null, false)))
        .isEqualTo("Hello, up!");
  }

  @Test
  void backendCertificateFromAnotherCa_failsTheCallWithTheReason() throws Exception {
    ExampleServer greeter = tlsGreeter("127.0.0.1");
    Path otherCa = pki.ca("other").cert;

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> helloThrough(greeter, new UpstreamTlsConfig(otherCa, null, null, null, false)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).contains("TLS handshake with 127.0.0.1:");
    assertThat(
            e.getTrailers()
                .get(Metadata.Key.of("ferry-local-reply", Metadata.ASCII_STRING_MARSHALLER)))
        .isEqualTo("connect_failed");
  }

  @Test
  void serverName_overridesTheNameChecked() throws Exception {
    ExampleServer greeter = tlsGreeter("greeter.internal");

    assertThat(
            helloThrough(
                greeter, new UpstreamTlsConfig(ca.cert, "greeter.internal", null, null, false)))
        .isEqualTo("Hello, up!");
  }

  @Test
  void certificateForAnotherName_isRefused() throws Exception {
    ExampleServer greeter = tlsGreeter("greeter.internal");

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> helloThrough(greeter, new UpstreamTlsConfig(ca.cert, null, null, null, false)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void insecure_acceptsAnyCertificate() throws Exception {
    ExampleServer greeter = tlsGreeter("somewhere.else");

    assertThat(helloThrough(greeter, new UpstreamTlsConfig(null, null, null, null, true)))
        .isEqualTo("Hello, up!");
  }
}
