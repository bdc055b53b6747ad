package dev.ferry.cli.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ConfigLoader;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.HelloWorldProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * connect-node, the Connect project's own client, calls the example greeter through ferry serve's
 * bridges: unary, server streaming, and an error with its message, over HTTP/1.1 and HTTP/2.
 */
@Timeout(120)
class ConnectNodeTest {
  private static ExampleServer greeter;
  private static ProxyServer proxy;
  private static String baseUrl;
  @TempDir static Path dir;
  private static Path schema;

  @BeforeAll
  static void start() throws Exception {
    WebClientLibraries.require();
    greeter = ExampleServer.builder(ExampleServer.Kind.GREETER).start();
    String yaml =
        """
        listeners:
          - address: 127.0.0.1:0
            routes:
              - match: { service: helloworld.Greeter }
                cluster: greeter
        clusters:
          greeter: { endpoints: [%s] }
        """
            .formatted(greeter.authority());
    proxy = ProxyServer.start(ConfigLoader.parse("ferry.yaml", yaml));
    baseUrl = "http://127.0.0.1:" + proxy.boundAddresses().get(0).getPort();
    schema = WebClientLibraries.descriptorSet(dir, HelloWorldProto.getDescriptor());
  }

  @AfterAll
  static void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
      greeter.close();
    }
  }

  /** The lines call.mjs prints for one call; {@code headers} and {@code timeoutMs} may be null. */
  private static List<String> call(
      String protocol,
      String httpVersion,
      String method,
      String request,
      String headers,
      String timeoutMs)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("node", "call.mjs", protocol, httpVersion));
    cmd.addAll(List.of(baseUrl, schema.toString(), "helloworld.Greeter", method, request));
    cmd.add(headers == null ? "{}" : headers);
    if (timeoutMs != null) {
      cmd.add(timeoutMs);
    }
    Process p =
        new ProcessBuilder(cmd)
            .directory(WebClientLibraries.DIR.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().toList();
  }

  @ParameterizedTest(name = "{0} over HTTP/{1}")
  @CsvSource({"grpc-web,1.1", "grpc-web,2"})
  void unary(String protocol, String httpVersion) throws Exception {
    assertThat(call(protocol, httpVersion, "SayHello", "{\"name\":\"node\"}", null, null))
        .containsExactly("{\"message\":\"Hello, node!\"}", "{\"code\":\"ok\"}");
  }

  @ParameterizedTest(name = "{0} over HTTP/{1}")
  @CsvSource({"grpc-web,1.1", "grpc-web,2"})
  void serverStream(String protocol, String httpVersion) throws Exception {
    assertThat(
            call(
                protocol,
                httpVersion,
                "SayHelloStreamReply",
                "{\"name\":\"s\"}",
                "{\"x-stream-count\":\"2\"}",
                null))
        .containsExactly(
            "{\"message\":\"Hello, s! (1/2)\"}",
            "{\"message\":\"Hello, s! (2/2)\"}",
            "{\"code\":\"ok\"}");
  }

  @ParameterizedTest(name = "{0} over HTTP/{1}")
  @CsvSource({"grpc-web,1.1", "grpc-web,2"})
  void backendError_keepsItsCodeAndMessage(String protocol, String httpVersion) throws Exception {
    assertThat(
            call(
                protocol,
                httpVersion,
                "SayHello",
                "{\"name\":\"x\"}",
                "{\"x-fail-status\":\"5\",\"x-fail-message\":\"no greeting for x\"}",
                null))
        .containsExactly("{\"code\":\"NotFound\",\"message\":\"no greeting for x\"}");
  }

  @ParameterizedTest(name = "{0} over HTTP/{1}")
  @CsvSource({"grpc-web,1.1", "grpc-web,2"})
  void deadline_isSentAndEndsTheCall(String protocol, String httpVersion) throws Exception {
    assertThat(
            call(
                protocol,
                httpVersion,
                "SayHello",
                "{\"name\":\"x\"}",
                "{\"x-delay-ms\":\"10000\"}",
                "300"))
        .singleElement()
        .asString()
        .startsWith("{\"code\":\"DeadlineExceeded\"");
  }
}
