package dev.ferry.proxy.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TLS from the client to the tap and from the tap to a TLS upstream; the tap sees plaintext. */
class TraceTapTlsTest {
  private final RecordingSink sink = new RecordingSink();
  private Path cert;
  private Path key;
  private ExampleServer greeter;

  @BeforeEach
  void start() throws Exception {
    cert = resource("trace-tls/localhost.pem");
    key = resource("trace-tls/localhost.key");
    greeter = ExampleServer.builder(ExampleServer.Kind.GREETER).port(0).tls(cert, key).start();
  }

  @AfterEach
  void stop() {
    greeter.close();
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(TraceTapTlsTest.class.getClassLoader().getResource(name).toURI());
  }

  private String callThrough(TraceTap tap) throws Exception {
    ManagedChannel ch =
        NettyChannelBuilder.forAddress("localhost", tap.address().getPort())
            .sslContext(GrpcSslContexts.forClient().trustManager(cert.toFile()).build())
            .build();
    try {
      return GreeterGrpc.newBlockingStub(ch)
          .sayHello(HelloRequest.newBuilder().setName("tls").build())
          .getMessage();
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void tlsOnBothSides_isTracedInPlaintext() throws Exception {
    TapTls tls = new TapTls(TapTls.serverContext(cert, key), TapTls.upstreamContext(cert));
    try (TraceTap tap =
        TraceTap.start(
            new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("localhost", greeter.address().getPort()),
            tls,
            TraceOptions.defaults(),
            sink)) {
      assertThat(callThrough(tap)).isEqualTo("Hello, tls!");
      assertThat(sink.awaitCalls(1).get(0).headline())
          .startsWith("/helloworld.Greeter/SayHello OK");
      assertThat(sink.events()).flatExtracting(TraceEvent::details).contains("1: \"tls\"");
    }
  }

  @Test
  void upstreamCertificateNotTrusted_isReportedAsATransportFailure() throws Exception {
    // Trusting the JDK's CAs only: the upstream's self-signed certificate must be refused.
    TapTls tls = new TapTls(TapTls.serverContext(cert, key), TapTls.upstreamContext(null));
    try (TraceTap tap =
        TraceTap.start(
            new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("localhost", greeter.address().getPort()),
            tls,
            TraceOptions.defaults(),
            sink)) {
      assertThatThrownBy(() -> callThrough(tap)).isInstanceOf(StatusRuntimeException.class);
      TraceEvent failure = sink.await(e -> e.type().equals("TRANSPORT"), 1).get(0);
      assertThat(failure.headline()).startsWith("upstream side: ");
    }
  }
}
