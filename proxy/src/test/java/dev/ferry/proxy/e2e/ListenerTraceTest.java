package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.config.TlsConfig;
import dev.ferry.proxy.config.TraceConfig;
import dev.ferry.proxy.tls.TestPki;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A listener's {@code trace}: a real grpc-java call through the proxy, traced into a file. */
class ListenerTraceTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  @TempDir Path dir;

  private ProxyServer proxy(ExampleServer greeter, TlsConfig tls, TraceConfig trace)
      throws Exception {
    ClusterConfig c = cluster("greeter", BalancePolicy.ROUND_ROBIN, greeter.address().getPort());
    ListenerConfig l =
        ListenerConfig.builder("127.0.0.1", 0, List.of(service("helloworld.Greeter", "greeter")))
            .idleTimeout(Duration.ZERO)
            .tls(tls)
            .trace(trace)
            .build();
    return fixture.proxy(
        new ProxyConfig(List.of(l), Map.of("greeter", c), null, Duration.ofSeconds(1)));
  }

  private static HelloReply hello(ManagedChannel ch, String name) {
    return GreeterGrpc.newBlockingStub(ch)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .sayHello(HelloRequest.newBuilder().setName(name).build());
  }

  @Test
  void traceOn_writesHeadersMessagesAndStatusOfEveryCall_inTraceFormat() throws Exception {
    ExampleServer greeter = fixture.example(ExampleServer.Kind.GREETER);
    Path file = dir.resolve("trace.txt");
    ProxyServer proxy =
        proxy(greeter, null, new TraceConfig(file.toString(), TraceConfig.Format.TEXT));

    assertThat(hello(fixture.channel(proxy), "traced").getMessage()).isEqualTo("Hello, traced!");
    // Stopping the proxy writes what is queued and closes the file: no waiting on the writer.
    proxy.close();

    String trace = Files.readString(file);
    assertThat(trace)
        .contains("OPEN ")
        .contains("HEADERS")
        .contains(":path: /helloworld.Greeter/SayHello")
        .contains("MESSAGE")
        // No schema in the proxy: raw protobuf fields, both ways.
        .contains("1: \"traced\"")
        .contains("1: \"Hello, traced!\"")
        .contains("grpc-status: 0  ⇒ OK")
        .contains("/helloworld.Greeter/SayHello OK in ")
        .contains("CLOSE ");
  }

  @Test
  void traceOnATlsListener_showsThePlaintextFrames_asJson() throws Exception {
    ExampleServer greeter = fixture.example(ExampleServer.Kind.GREETER);
    TestPki.Ca ca = new TestPki(dir).ca("test");
    TestPki.Pair server = ca.server("server", "127.0.0.1", "localhost");
    Path file = dir.resolve("trace.jsonl");
    ProxyServer proxy =
        proxy(
            greeter,
            TlsConfig.of(server.cert(), server.key()),
            new TraceConfig(file.toString(), TraceConfig.Format.JSON));
    ManagedChannel ch =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1",
                proxy.boundAddresses().get(0).getPort(),
                TlsChannelCredentials.newBuilder().trustManager(ca.cert.toFile()).build())
            .build();
    fixture.closeLater(
        () -> {
          ch.shutdownNow();
          ch.awaitTermination(5, TimeUnit.SECONDS);
        });

    assertThat(hello(ch, "tls").getMessage()).isEqualTo("Hello, tls!");
    proxy.close();

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).allMatch(l -> l.startsWith("{\"t_ms\":") && l.endsWith("}"));
    assertThat(lines)
        .anyMatch(l -> l.contains("\"type\":\"HEADERS\"") && l.contains("/helloworld.Greeter/"));
    assertThat(lines)
        .anyMatch(
            l -> l.contains("\"kind\":\"message\"") && l.contains("\"raw\":[\"1: \\\"tls\\\"\"]"));
    assertThat(lines)
        .anyMatch(l -> l.contains("\"kind\":\"call\"") && l.contains("\"status\":\"OK\""));
  }
}
