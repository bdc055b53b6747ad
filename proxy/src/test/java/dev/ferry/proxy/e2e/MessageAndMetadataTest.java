package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MessageAndMetadataTest {
  static final Metadata.Key<String> TEXT =
      Metadata.Key.of("x-custom", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<byte[]> BIN =
      Metadata.Key.of("x-blob-bin", Metadata.BINARY_BYTE_MARSHALLER);
  static final Metadata.Key<String> XFF =
      Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER);

  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private TestBackend backend;
  private ManagedChannel channel;

  @BeforeEach
  void setUp() throws Exception {
    backend = fixture.backend();
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(service("helloworld.Greeter", "greeter")),
                cluster("greeter", BalancePolicy.ROUND_ROBIN, backend.port())));
    channel = fixture.channel(proxy);
  }

  @Test
  void message64MiB_passesBothWays() {
    String name = "n".repeat((64 << 20) - 64);
    HelloReply reply =
        GreeterGrpc.newBlockingStub(channel)
            .withMaxInboundMessageSize(80 << 20)
            .withMaxOutboundMessageSize(80 << 20)
            .sayHello(HelloRequest.newBuilder().setName(name).build());
    assertThat(reply.getMessage()).hasSize(name.length() + 8);
  }

  @Test
  void textAndBinaryMetadata_passUnchanged_andClientIsAppendedToForwardedFor() {
    Metadata md = new Metadata();
    md.put(TEXT, "hello world");
    byte[] blob = {0, 1, 2, (byte) 0xff, 10, 13};
    md.put(BIN, blob);
    md.put(XFF, "10.0.0.1");
    GreeterGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
        .sayHello(HelloRequest.newBuilder().setName("m").build());
    Metadata seen = backend.seenHeaders.poll();
    assertThat(seen.get(TEXT)).isEqualTo("hello world");
    assertThat(seen.get(BIN)).isEqualTo(blob);
    assertThat(seen.get(XFF)).isEqualTo("10.0.0.1, 127.0.0.1");
  }
}
