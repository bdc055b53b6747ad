package dev.ferry.cli.call.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.Main;
import dev.ferry.cli.call.WatchedWriter;
import dev.ferry.cli.call.schema.ProtosetFiles;
import dev.ferry.cli.call.transport.ChannelFactory;
import dev.ferry.cli.call.transport.Target;
import dev.ferry.testservers.RefusedPort;
import dev.ferry.testservers.helloworld.HelloWorldProto;
import io.grpc.Status;
import io.netty.handler.codec.http2.Http2Error;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code ferry call} explains answers that do not come from a healthy gRPC server. */
// A hang must fail the build, not stall it.
@org.junit.jupiter.api.Timeout(60)
class CallDiagnosisTest {
  private final WatchedWriter out = new WatchedWriter();
  private final WatchedWriter err = new WatchedWriter();
  @TempDir Path dir;

  private int callSayHello(String address, String... more) throws Exception {
    Path protoset = ProtosetFiles.write(dir, HelloWorldProto.getDescriptor());
    List<String> args =
        new ArrayList<>(
            List.of(
                "call",
                "--plaintext",
                "--protoset",
                protoset.toString(),
                address,
                "helloworld.Greeter/SayHello",
                "-d",
                "{\"name\":\"x\"}"));
    args.addAll(List.of(more));
    return Main.commandLine(
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out, true),
            new PrintWriter(err, true))
        .execute(args.toArray(String[]::new));
  }

  private int answeredBy(FakeHttp2Server.Answer answer) throws Exception {
    try (FakeHttp2Server server = new FakeHttp2Server(answer)) {
      return callSayHello(server.address());
    }
  }

  @Test
  void nginxErrorPage204WithGrpcStatus_isReadAsThatStatusFromAnIntermediary() throws Exception {
    assertThat(answeredBy(FakeHttp2Server.Answer.NGINX_204)).isEqualTo(64 + 14);
    assertThat(err.toString())
        .startsWith("ERROR: UNAVAILABLE (14): unavailable\n")
        .contains(
            "cause: an intermediary in front of the service answered for it with HTTP 204 and"
                + " grpc-status 14 in its headers (the nginx error_page pattern)")
        .doesNotContain("UNKNOWN");
  }

  @Test
  void http1OnlyServer_isNamedAsHttp1() throws Exception {
    assertThat(answeredBy(FakeHttp2Server.Answer.HTTP1_505)).isEqualTo(64 + 13);
    assertThat(err.toString())
        .contains(
            "answered in HTTP/1.x, not HTTP/2: \"HTTP/1.0 505 HTTP Version Not Supported\" (an"
                + " HTTP/1.1-only server or proxy");
  }

  @Test
  void failureWithPlaintextChosen_opensNoSecondConnection() throws Exception {
    try (FakeHttp2Server server = new FakeHttp2Server(FakeHttp2Server.Answer.HTTP1_505)) {
      assertThat(callSayHello(server.address())).isEqualTo(64 + 13);
      // The call's connection only: a probe after the failure would be a second one, which a tap
      // in between would report as the client's.
      assertThat(server.connections()).isEqualTo(1);
    }
  }

  @Test
  void connectTimeout_namesTheTimeoutAndTheAddress() {
    // What grpc-java reports when Netty's connect timer fires: UNAVAILABLE with no description.
    Status timedOut =
        Status.UNAVAILABLE.withCause(
            new io.grpc.netty.shaded.io.netty.channel.ConnectTimeoutException(
                "connection timed out after 1 ms: /127.0.0.1:50551"));
    FailureDiagnosis.Context context =
        new FailureDiagnosis.Context(
            Target.parse("localhost:50551"),
            new ChannelFactory.Security(false, false),
            "localhost",
            null,
            java.time.Duration.ofMillis(1),
            new byte[0],
            false,
            false,
            false);
    assertThat(FailureDiagnosis.explain(timedOut, context))
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .startsWith(
                        "the connection to 127.0.0.1:50551 timed out after 1ms"
                            + " (--connect-timeout)"));
  }

  @Test
  void htmlErrorPageFromAProxy_isNamedWithStatusTypeAndBody() throws Exception {
    assertThat(answeredBy(FakeHttp2Server.Answer.HTML_502)).isEqualTo(64 + 14);
    assertThat(err.toString())
        .contains("ERROR: UNAVAILABLE (14): HTTP status code 502\n")
        .contains(
            "cause: the answer is not gRPC: HTTP 502 with content-type text/html; charset=utf-8")
        .contains("body: \"<html><head><title>502 Bad Gateway</title>")
        .contains("from something in between");
  }

  @Test
  void replyWithoutContentType_isNamed_andVerboseShowsItsStatusLine() throws Exception {
    try (FakeHttp2Server server = new FakeHttp2Server(FakeHttp2Server.Answer.NO_CONTENT_TYPE)) {
      assertThat(callSayHello(server.address(), "-v")).isEqualTo(64 + 2);
    }
    assertThat(err.toString())
        .contains("< :status: 200\n")
        .contains(
            "cause: the answer is not gRPC: HTTP 200 without a content-type (gRPC replies are"
                + " application/grpc), body: \"Hello\" (is this a gRPC port?)");
  }

  @Test
  void replyWithoutGrpcStatus_isNamed() throws Exception {
    assertThat(answeredBy(FakeHttp2Server.Answer.NO_GRPC_STATUS)).isGreaterThan(64);
    assertThat(err.toString()).contains("cause: the reply ended without a grpc-status trailer");
  }

  @Test
  void streamResetByTheServer_namesWhoSentItAndTheHttp2Code() throws Exception {
    try (FakeHttp2Server server = new FakeHttp2Server(FakeHttp2Server.Answer.RESET_STREAM)) {
      assertThat(callSayHello(server.address())).isEqualTo(64 + 8);
      assertThat(err.toString())
          .contains(
              "cause: the server at "
                  + server.address()
                  + ", or a proxy in front of it, reset the stream with HTTP/2 error code"
                  + " ENHANCE_YOUR_CALM (RST_STREAM received: ")
          .doesNotContain("ferry call then reset");
    }
  }

  @Test
  void deadlineOnAnOpenStream_saysFerryResetTheStreamItself() throws Exception {
    try (FakeHttp2Server server = new FakeHttp2Server(FakeHttp2Server.Answer.SILENT)) {
      assertThat(callSayHello(server.address(), "--deadline", "300ms")).isEqualTo(64 + 4);
      // What the report says is what happened on the wire.
      assertThat(server.resetReceived().get(10, TimeUnit.SECONDS)).isEqualTo(Http2Error.CANCEL);
      assertThat(err.toString())
          .contains(
              "cause: the deadline of 300ms passed; no response headers had arrived though the"
                  + " request had gone out")
          .contains(
              "; ferry call then reset the stream itself (RST_STREAM CANCEL sent to "
                  + server.address()
                  + ")")
          .doesNotContain("RST_STREAM received");
    }
  }

  @Test
  void ownCancel_isNamedAsFerrys_whileAServersCancelledIsNot() {
    FailureDiagnosis.Context context =
        new FailureDiagnosis.Context(
            Target.parse("127.0.0.1:8080"),
            new ChannelFactory.Security(false, false),
            "127.0.0.1",
            null,
            null,
            new byte[0],
            true,
            false,
            false);
    assertThat(
            FailureDiagnosis.explain(
                Status.CANCELLED.withDescription("ferry call: bad request input"), context))
        .hasValue(
            "ferry call cancelled the call itself (ferry call: bad request input); ferry call then"
                + " reset the stream itself (RST_STREAM CANCEL sent to 127.0.0.1:8080)");
    // A server may end a call with grpc-status 1 itself: that is not ferry's doing.
    assertThat(FailureDiagnosis.explain(Status.CANCELLED.withDescription("injected"), context))
        .isEmpty();
  }

  @Test
  void verboseCallThatNeverConnects_saysNoHeadersWentOut() throws Exception {
    try (RefusedPort refused = RefusedPort.open()) {
      int closedPort = refused.port();
      assertThat(callSayHello(refused.hostPort(), "-v")).isEqualTo(64 + 14);
      assertThat(err.toString())
          .contains(
              "> POST /helloworld.Greeter/SayHello (127.0.0.1:"
                  + closedPort
                  + "): no request headers went out, the call ended first")
          .doesNotContain("> :method");
    }
  }

  @Test
  void goaway_isNamed() throws Exception {
    int exit = answeredBy(FakeHttp2Server.Answer.GOAWAY);
    assertThat(err.toString()).contains("GOAWAY (ENHANCE_YOUR_CALM)");
    assertThat(exit).isEqualTo(64 + 8);
  }

  @Test
  void ferrysLocalReply_saysTheProxyGeneratedIt() throws Exception {
    assertThat(answeredBy(FakeHttp2Server.Answer.FERRY_LOCAL_REPLY)).isEqualTo(64 + 14);
    assertThat(err.toString())
        .contains("ERROR: UNAVAILABLE (14): no healthy endpoint in cluster greeter")
        .contains(
            "generated by ferry's proxy, not by your service: the route's cluster has no endpoint"
                + " that can take the call");
  }
}
