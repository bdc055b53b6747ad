package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.RouteMatch;
import io.grpc.HandlerRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Schema questions to one cluster are bounded: a client naming ever new services behind a catch-all
 * route gets {@code overloaded} once a loop has its maximum of questions in flight, instead of
 * turning each call into a reflection call on the backend.
 */
class ConnectSchemaLimitTest {
  /** {@code ClusterSchemas.MAX_ASKING}, which lives in another package. */
  private static final int MAX_ASKING = 8;

  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();

  @Test
  void questionsBeyondTheLimit_areRefusedAsOverloaded() throws Exception {
    int port = proxyInFrontOf(silentBackend());
    // Connections are spread over the event loops in turn: with one more call than every loop's
    // limit, some loop has one too many while its reflection questions wait for the silent backend.
    int loops = Runtime.getRuntime().availableProcessors();
    List<ConnectCurl> calls = new ArrayList<>();
    for (int i = 0; i < loops * MAX_ASKING + 1; i++) {
      calls.add(
          ConnectCurl.post(
              port,
              "/s" + i + ".Service/Method",
              "application/json",
              "{}".getBytes(StandardCharsets.UTF_8),
              false));
    }
    int overloaded = 0;
    for (ConnectCurl c : calls) {
      try (c) {
        ConnectCurl.Response r = c.finish();
        assertThat(r.status()).isEqualTo(503);
        if ("overloaded".equals(r.headers().get("ferry-local-reply"))) {
          overloaded++;
          assertThat(r.text()).contains("schema questions to cluster 'silent'");
        }
      }
    }
    assertThat(overloaded).isPositive();
  }

  private int proxyInFrontOf(int backendPort) throws IOException {
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(
                    ProxyFixture.route(
                        new RouteMatch(null, null, "/", null, List.of()), "silent", null)),
                ProxyFixture.cluster("silent", BalancePolicy.ROUND_ROBIN, backendPort)));
    return proxy.boundAddresses().get(0).getPort();
  }

  /** A gRPC server that takes every call, its reflection's too, and never answers. */
  private int silentBackend() throws IOException {
    MethodDescriptor.Marshaller<byte[]> bytes =
        new MethodDescriptor.Marshaller<>() {
          @Override
          public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
          }

          @Override
          public byte[] parse(InputStream stream) {
            try {
              return stream.readAllBytes();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        };
    HandlerRegistry everything =
        new HandlerRegistry() {
          @Override
          public ServerMethodDefinition<?, ?> lookupMethod(String name, String authority) {
            MethodDescriptor<byte[], byte[]> m =
                MethodDescriptor.newBuilder(bytes, bytes)
                    .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                    .setFullMethodName(name)
                    .build();
            return ServerMethodDefinition.create(
                m, (call, headers) -> new ServerCall.Listener<>() {});
          }
        };
    Server s =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .fallbackHandlerRegistry(everything)
            .build()
            .start();
    fixture.closeLater(() -> s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return s.getPort();
  }
}
