package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.testservers.DescriptorSets;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.DaininkiProto;
import dev.ferry.testservers.helloworld.HelloWorldProto;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Connect project's client for Node ({@code @connectrpc/connect-node}, installed by .ci/run
 * into web-clients) calling through ferry's Connect and gRPC-Web bridges: unary, a server stream,
 * the backend's error, a deadline and ferry's own reply, in JSON and binary, over HTTP/1.1 and
 * HTTP/2. Outside CI a missing node or client skips the class; under {@code CI=true} it fails it.
 */
class ConnectNodeClientTest {
  /** The npm project at the top of the build, beside the modules. */
  private static final Path CLIENT = Path.of("../web-clients").toAbsolutePath().normalize();

  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private int port;
  private Path descriptors;

  @BeforeAll
  static void needsNodeAndTheClient() {
    boolean node =
        List.of(System.getenv("PATH").split(File.pathSeparator)).stream()
            .anyMatch(d -> Files.isExecutable(Path.of(d, "node")));
    boolean client = Files.isDirectory(CLIENT.resolve("node_modules/@connectrpc/connect-node"));
    if (!node || !client) {
      String missing =
          (node ? "" : "node is not on the PATH (apt-get install nodejs npm); ")
              + (client ? "" : "the client is not installed (npm ci --prefix " + CLIENT + ")");
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(missing + "; .ci/run should have installed it");
      }
      Assumptions.abort(missing);
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    ExampleServer greeter = fixture.example(ExampleServer.Kind.GREETER);
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(
                    service("helloworld.Greeter", "greeter"),
                    service("helloworld.Daininki", "gone")),
                ProxyFixture.cluster(
                    "greeter", BalancePolicy.ROUND_ROBIN, greeter.address().getPort()),
                ProxyFixture.cluster("gone", BalancePolicy.ROUND_ROBIN, fixture.refusedPort())));
    port = proxy.boundAddresses().get(0).getPort();
    descriptors = Files.createTempFile("helloworld", ".binpb");
    Files.write(
        descriptors,
        DescriptorSets.of(HelloWorldProto.getDescriptor(), DaininkiProto.getDescriptor())
            .toByteArray());
  }

  @ParameterizedTest(name = "{0} over HTTP/{1}, {2}")
  @CsvSource({
    "connect, 1.1, json",
    "connect, 2, binary",
    "connect, 2, json",
    "grpc-web, 1.1, binary",
    "grpc-web, 2, binary"
  })
  void connectNodeClient_seesAnswersAndEveryError(
      String protocol, String httpVersion, String format) throws Exception {
    Map<String, JsonObject> outcomes = run(protocol, httpVersion, format);

    assertThat(outcomes.get("unary").get("ok").getAsString()).isEqualTo("Hello, node!");
    assertThat(outcomes.get("stream").getAsJsonArray("ok").asList())
        .hasSize(2)
        .allSatisfy(m -> assertThat(m.getAsString()).startsWith("Hello, s!"));
    assertThat(outcomes.get("backendError").get("code").getAsString())
        .isEqualTo("PermissionDenied");
    assertThat(outcomes.get("backendError").get("message").getAsString()).isEqualTo("not for you");
    assertThat(outcomes.get("deadline").get("code").getAsString()).isEqualTo("DeadlineExceeded");
    assertThat(outcomes.get("ferryUnavailable").get("code").getAsString()).isEqualTo("Unavailable");
    assertThat(outcomes.get("ferryUnavailable").get("message").getAsString())
        .contains("cluster 'gone'");
  }

  private Map<String, JsonObject> run(String protocol, String httpVersion, String format)
      throws Exception {
    Process p =
        new ProcessBuilder(
                "node",
                "client.mjs",
                protocol,
                "http://127.0.0.1:" + port,
                descriptors.toAbsolutePath().toString(),
                httpVersion,
                format)
            .directory(CLIENT.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("node's exit code; it printed:\n" + out).isZero();
    Map<String, JsonObject> outcomes = new HashMap<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
        outcomes.put(o.get("name").getAsString(), o);
      }
    }
    return outcomes;
  }
}
