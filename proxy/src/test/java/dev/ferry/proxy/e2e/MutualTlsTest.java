package dev.ferry.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.accesslog.AccessLogEntry;
import dev.ferry.proxy.config.AclConfig;
import dev.ferry.proxy.config.CertificateConfig;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.DirectReply;
import dev.ferry.proxy.config.HeaderRules;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.config.RouteMatch;
import dev.ferry.proxy.config.TlsConfig;
import dev.ferry.proxy.tls.TestPki;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Client certificates: required, verified against the client CA, and usable by routes and logs. */
class MutualTlsTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  @TempDir Path dir;
  private TestPki.Ca serverCa;
  private TestPki.Ca clientCa;
  private TestPki.Pair server;
  private ExampleServer greeter;
  private final LinkedBlockingQueue<AccessLogEntry> logged = new LinkedBlockingQueue<>();

  @BeforeEach
  void setUp() throws Exception {
    TestPki pki = new TestPki(dir);
    serverCa = pki.ca("server");
    clientCa = pki.ca("clients");
    server = serverCa.server("proxy", "127.0.0.1");
    greeter = fixture.example(ExampleServer.Kind.GREETER);
  }

  /** Greeter for CN=admin; everyone else gets a direct PERMISSION_DENIED from the second route. */
  private ProxyServer proxy(boolean require) throws Exception {
    return proxy(require, null);
  }

  private ProxyServer proxy(boolean require, AclConfig listenerAcl) throws Exception {
    RouteConfig admin =
        new RouteConfig(
            new RouteMatch(
                "helloworld.Greeter", null, null, null, List.of(), Pattern.compile("CN=admin")),
            "greeter",
            null,
            HeaderRules.NONE,
            HeaderRules.NONE,
            null);
    RouteConfig others =
        new RouteConfig(
            new RouteMatch("helloworld.Greeter", null, null, null, List.of()),
            null,
            new DirectReply(7, 403, "admins only"),
            HeaderRules.NONE,
            HeaderRules.NONE,
            null);
    TlsConfig tls =
        new TlsConfig(
            List.of(new CertificateConfig(server.cert(), server.key(), List.of())),
            false,
            clientCa.cert,
            require);
    ClusterConfig c =
        ProxyFixture.cluster("greeter", BalancePolicy.ROUND_ROBIN, greeter.address().getPort());
    ListenerConfig l =
        ListenerConfig.builder("127.0.0.1", 0, List.of(admin, others))
            .idleTimeout(Duration.ZERO)
            .tls(tls)
            .acl(listenerAcl)
            .build();
    AccessLog log =
        new AccessLog() {
          @Override
          public void log(AccessLogEntry entry) {
            logged.add(entry);
          }

          @Override
          public void close() {}
        };
    return fixture.proxy(
        new ProxyConfig(List.of(l), Map.of("greeter", c), null, Duration.ofSeconds(1)), log);
  }

  private String hello(ProxyServer proxy, ChannelCredentials creds) {
    ManagedChannel ch =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", proxy.boundAddresses().get(0).getPort(), creds)
            .build();
    fixture.closeLater(
        () -> {
          ch.shutdownNow();
          ch.awaitTermination(5, TimeUnit.SECONDS);
        });
    return GreeterGrpc.newBlockingStub(ch)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .sayHello(HelloRequest.newBuilder().setName("m").build())
        .getMessage();
  }

  private ChannelCredentials as(TestPki.Pair client) throws Exception {
    TlsChannelCredentials.Builder b =
        TlsChannelCredentials.newBuilder().trustManager(serverCa.cert.toFile());
    if (client != null) {
      b.keyManager(client.cert().toFile(), client.key().toFile());
    }
    return b.build();
  }

  @Test
  void clientWithACertificateFromTheClientCa_isServed_andLoggedWithItsSubject() throws Exception {
    ProxyServer proxy = proxy(true);

    assertThat(hello(proxy, as(clientCa.client("admin", "admin")))).isEqualTo("Hello, m!");
    AccessLogEntry e = logged.poll(10, TimeUnit.SECONDS);
    assertThat(e).isNotNull();
    assertThat(e.clientSubject()).isEqualTo("CN=admin");
  }

  @Test
  void clientWithoutACertificate_isRefusedInTheHandshake() throws Exception {
    ProxyServer proxy = proxy(true);

    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> hello(proxy, as(null)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void clientWithACertificateFromAnotherCa_isRefused() throws Exception {
    ProxyServer proxy = proxy(true);
    TestPki.Pair stranger = serverCa.client("stranger", "admin");

    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> hello(proxy, as(stranger)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void routes_chooseByTheClientSubject() throws Exception {
    ProxyServer proxy = proxy(false);

    StatusRuntimeException guest =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> hello(proxy, as(clientCa.client("guest", "guest"))));
    StatusRuntimeException anonymous =
        catchThrowableOfType(StatusRuntimeException.class, () -> hello(proxy, as(null)));

    assertThat(guest.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(guest.getStatus().getDescription()).isEqualTo("admins only");
    assertThat(anonymous.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(hello(proxy, as(clientCa.client("admin", "admin")))).isEqualTo("Hello, m!");
  }

  @Test
  void listenerAclOnSubjects_closesConnectionsOfOtherCertificates() throws Exception {
    ProxyServer proxy =
        proxy(true, new AclConfig(List.of(), List.of(), List.of(Pattern.compile("CN=admin"))));

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> hello(proxy, as(clientCa.client("guest", "guest"))));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(hello(proxy, as(clientCa.client("admin", "admin")))).isEqualTo("Hello, m!");
  }
}
