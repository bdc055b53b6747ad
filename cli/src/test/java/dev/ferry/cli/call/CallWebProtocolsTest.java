package dev.ferry.cli.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.Main;
import dev.ferry.cli.call.schema.ProtosetFiles;
import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ConfigLoader;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.DaininkiProto;
import dev.ferry.testservers.helloworld.HelloWorldProto;
import io.grpc.testing.TlsTesting;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ferry call --protocol grpc-web} through ferry serve's bridge, as a browser would call:
 * unary and streaming answers, the backend's and the proxy's errors, the deadline, and what the
 * protocol cannot carry.
 */
@org.junit.jupiter.api.Timeout(60)
class CallWebProtocolsTest {
  private static ExampleServer greeter;
  private static ProxyServer proxy;
  private static String address;
  private final WatchedWriter out = new WatchedWriter();
  private final WatchedWriter err = new WatchedWriter();
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    greeter = ExampleServer.builder(ExampleServer.Kind.GREETER).start();
    String yaml =
        """
        listeners:
          - address: 127.0.0.1:0
            routes:
              - match: { service: helloworld.Greeter }
                cluster: greeter
              - match: { service: grpc.reflection.v1.ServerReflection }
                cluster: greeter
              - match: { service: helloworld.Daininki }
                cluster: nowhere
        clusters:
          greeter: { endpoints: [%s] }
          nowhere: { endpoints: [127.0.0.1:1] }
        """
            .formatted(greeter.authority());
    proxy = ProxyServer.start(ConfigLoader.parse("ferry.yaml", yaml));
    address = "127.0.0.1:" + proxy.boundAddresses().get(0).getPort();
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    greeter.close();
  }

  private int run(String... args) {
    return Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc-web", "connect"})
  void unary_isAnsweredThroughTheBridge(String protocol) {
    assertThat(
            run(
                "call",
                "--protocol",
                protocol,
                "-v",
                address,
                "helloworld.Greeter/SayHello",
                "-d",
                "{\"name\":\"web\"}"))
        .isZero();
    assertThat(out.toString()).contains("\"message\": \"Hello, web!\"");
    assertThat(err.toString()).contains("* " + protocol + " over HTTP/1.1", "status 0 OK");
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc-web", "connect"})
  void serverStream_printsEveryReply(String protocol) {
    assertThat(
            run(
                "call",
                "--protocol=" + protocol,
                address,
                "helloworld.Greeter/SayHelloStreamReply",
                "-d",
                "{\"name\":\"s\"}",
                "-H",
                "x-stream-count: 3"))
        .isZero();
    assertThat(out.toString()).contains("Hello, s! (1/3)", "Hello, s! (2/3)", "Hello, s! (3/3)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc-web", "connect"})
  void backendError_comesWithItsStatusAndMessage(String protocol) {
    assertThat(
            run(
                "call",
                "--protocol",
                protocol,
                address,
                "helloworld.Greeter/SayHello",
                "-H",
                "x-fail-status: 14",
                "-H",
                "x-fail-message: backend says no"))
        .isEqualTo(78);
    assertThat(err.toString()).contains("ERROR: UNAVAILABLE (14): backend says no");
  }

  /** gRPC-Web: from the headers of a Trailers-Only answer; Connect: from its error JSON. */
  @ParameterizedTest
  @ValueSource(strings = {"grpc-web", "connect"})
  void proxysOwnReply_keepsItsStatusAndMessage(String protocol) throws Exception {
    Path protoset = ProtosetFiles.write(dir, DaininkiProto.getDescriptor());
    int exit =
        run(
            "call",
            "--protocol",
            protocol,
            "--protoset",
            protoset.toString(),
            address,
            "helloworld.Daininki/Vote",
            "-d",
            "{\"candidate\":\"x\"}");
    assertThat(exit).isEqualTo(78);
    assertThat(err.toString()).contains("ERROR: UNAVAILABLE (14)").contains("nowhere");
  }

  /** Sent as grpc-timeout (gRPC-Web) or connect-timeout-ms (Connect). */
  @ParameterizedTest
  @ValueSource(strings = {"grpc-web", "connect"})
  void deadline_isSentAndEndsTheCall(String protocol) {
    int exit =
        run(
            "call",
            "--protocol",
            protocol,
            "--deadline",
            "200ms",
            address,
            "helloworld.Greeter/SayHello",
            "-H",
            "x-delay-ms: 5000");
    assertThat(exit).isEqualTo(64 + 4);
    assertThat(err.toString()).contains("DEADLINE_EXCEEDED (4)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc-web", "connect"})
  void answerOverMaxMsgSize_isResourceExhausted(String protocol) {
    int exit =
        run(
            "call",
            "--protocol",
            protocol,
            "--max-msg-size",
            "5",
            address,
            "helloworld.Greeter/SayHello",
            "-d",
            "{\"name\":\"long enough\"}");
    assertThat(exit).isEqualTo(64 + 8);
    assertThat(err.toString()).contains("RESOURCE_EXHAUSTED (8)").contains("--max-msg-size");
  }

  @Test
  void aClientStream_isRefusedBeforeAnythingIsSent() {
    int exit =
        run("call", "--protocol", "grpc-web", address, "helloworld.Greeter/SayHelloBidiStream");
    assertThat(err.toString()).contains("carries unary and server-streaming calls only");
    assertThat(exit).isNotZero();
  }

  @Test
  void withoutABridge_theFailureSaysSo() {
    int exit =
        run(
            "call",
            "--protocol",
            "grpc-web",
            "--plaintext",
            greeter.authority(),
            "helloworld.Greeter/SayHello",
            "-d",
            "{}");
    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("ERROR: ").contains("bridge");
    assertThat(err.toString()).doesNotContain("\tat ");
  }

  @Test
  void listAndScript_areNotCallsOfAMethod() {
    assertThat(run("call", "--protocol", "connect", address, "list")).isEqualTo(2);
    assertThat(err.toString()).contains("--protocol connect is for calling a method");
    assertThat(run("call", "--protocol", "xml", address, "list")).isEqualTo(2);
    assertThat(err.toString()).contains("'xml' is not a protocol: grpc, grpc-web or connect");
  }

  @Test
  void tls_takesTheSameFlagsAsGrpc(@TempDir Path tls) throws Exception {
    for (String f : List.of("ca.pem", "server1.pem", "server1.key")) {
      try (InputStream in = TlsTesting.loadCert(f)) {
        Files.copy(in, tls.resolve(f));
      }
    }
    String yaml =
        """
        listeners:
          - address: 127.0.0.1:0
            tls: { cert: %s, key: %s }
            routes:
              - match: { prefix: / }
                cluster: greeter
        clusters:
          greeter: { endpoints: [%s] }
        """
            .formatted(tls.resolve("server1.pem"), tls.resolve("server1.key"), greeter.authority());
    try (ProxyServer tlsProxy = ProxyServer.start(ConfigLoader.parse("ferry.yaml", yaml))) {
      String at = "127.0.0.1:" + tlsProxy.boundAddresses().get(0).getPort();
      assertThat(
              run(
                  "call",
                  "--protocol",
                  "grpc-web",
                  "--cacert",
                  tls.resolve("ca.pem").toString(),
                  "--authority",
                  "foo.test.google.fr",
                  at,
                  "helloworld.Greeter/SayHello",
                  "-d",
                  "{\"name\":\"tls\"}"))
          .isZero();
      assertThat(out.toString()).contains("Hello, tls!");
      // The name checked is the authority's: the certificate is not for 127.0.0.1.
      assertThat(
              run(
                  "call",
                  "--protocol",
                  "grpc-web",
                  "--cacert",
                  tls.resolve("ca.pem").toString(),
                  "--protoset",
                  ProtosetFiles.write(dir, HelloWorldProto.getDescriptor()).toString(),
                  at,
                  "helloworld.Greeter/SayHello",
                  "-d",
                  "{}"))
          .isEqualTo(78);
      assertThat(err.toString()).contains("ERROR: UNAVAILABLE (14)").doesNotContain("\tat ");
    }
  }
}
