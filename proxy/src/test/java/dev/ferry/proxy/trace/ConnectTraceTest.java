package dev.ferry.proxy.trace;

import static dev.ferry.proxy.trace.GrpcTraceGoldenTest.frameMessage;
import static dev.ferry.proxy.trace.GrpcTraceGoldenTest.helloRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connect calls through the tap: unary bodies read whole, errors from their JSON, streams cut into
 * messages up to the end-of-stream message, in the proto and the JSON forms.
 */
class ConnectTraceTest {
  private static final String I = "                              ";
  private final TraceHarness h = new TraceHarness();

  @AfterEach
  void nothingLeftOver() {
    h.finish();
  }

  private void http1(Direction d, String head, byte[] body) {
    ByteBuf b = Unpooled.buffer();
    b.writeCharSequence(
        head + "content-length: " + body.length + "\r\n\r\n", StandardCharsets.US_ASCII);
    b.writeBytes(body);
    h.bytes(d, b);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String post(String path, String contentType) {
    return "POST "
        + path
        + " HTTP/1.1\r\nhost: x\r\ncontent-type: "
        + contentType
        + "\r\nconnect-protocol-version: 1\r\n";
  }

  private static String answer(String status, String contentType) {
    return "HTTP/1.1 " + status + "\r\ncontent-type: " + contentType + "\r\n";
  }

  /** Connect's end-of-stream message: flag 0x02, then JSON. */
  private static byte[] endOfStream(String json) {
    byte[] f = frameMessage(false, ascii(json));
    f[0] = 0x02;
    return f;
  }

  @Test
  void unaryJson_showsBothMessagesAndOneSummary() {
    http1(
        Direction.CLIENT_TO_SERVER,
        post("/helloworld.Greeter/SayHello", "application/json"),
        ascii("{\"name\":\"x\"}"));
    h.advanceMillis(2);
    http1(
        Direction.SERVER_TO_CLIENT,
        answer("200 OK", "application/json"),
        ascii("{\"message\":\"Hello, x!\"}"));

    assertThat(h.lines())
        .contains(
            "     0.000ms c1   → s1    MESSAGE       #1 12 bytes, JSON",
            I + "json: {\"name\":\"x\"}",
            "     2.000ms c1   ← s1    MESSAGE       #1 23 bytes, JSON",
            I + "json: {\"message\":\"Hello, x!\"}",
            "     2.000ms c1   · s1    CALL          /helloworld.Greeter/SayHello OK in 2.000 ms, → 1"
                + " msg 12 B, ← 1 msg 23 B");
    assertThat(h.events.stream().filter(e -> e.kind() == TraceEvent.Kind.DIAGNOSIS))
        .as("a Connect request is not a gRPC request with the wrong content-type")
        .isEmpty();
  }

  @Test
  void unaryError_isReadFromItsJson() {
    http1(
        Direction.CLIENT_TO_SERVER,
        post("/helloworld.Greeter/SayHello", "application/proto"),
        helloRequest("x"));
    http1(
        Direction.SERVER_TO_CLIENT,
        answer("503 Service Unavailable", "application/json"),
        ascii("{\"code\":\"unavailable\",\"message\":\"backend down\"}"));

    assertThat(h.lines())
        .contains(
            I + "1: \"x\"", I + "json: {\"code\":\"unavailable\",\"message\":\"backend down\"}")
        .anyMatch(l -> l.contains("ERROR         Connect error, HTTP 503"))
        .anyMatch(l -> l.contains("CALL") && l.contains("UNAVAILABLE \"backend down\""));
  }

  @Test
  void protoStream_endsWithItsEndOfStreamMessage() {
    http1(
        Direction.CLIENT_TO_SERVER,
        post("/helloworld.Greeter/SayHelloStreamReply", "application/connect+proto"),
        frameMessage(false, helloRequest("s")));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(frameMessage(false, helloRequest("one")));
    body.writeBytes(frameMessage(false, helloRequest("two")));
    body.writeBytes(endOfStream("{}"));
    http1(
        Direction.SERVER_TO_CLIENT,
        answer("200 OK", "application/connect+proto"),
        body.toByteArray());

    assertThat(h.lines())
        .contains(I + "1: \"one\"", I + "1: \"two\"", I + "json: {}")
        .anyMatch(l -> l.contains("END_STREAM    Connect end-of-stream message"))
        .anyMatch(l -> l.contains("CALL") && l.contains(" OK in ") && l.contains("← 2 msgs"));
  }

  @Test
  void jsonStreamError_andAStreamWithoutItsEnd() {
    http1(
        Direction.CLIENT_TO_SERVER,
        post("/helloworld.Greeter/SayHelloStreamReply", "application/connect+json"),
        frameMessage(false, ascii("{\"name\":\"s\"}")));
    http1(
        Direction.SERVER_TO_CLIENT,
        answer("200 OK", "application/connect+json"),
        endOfStream("{\"error\":{\"code\":\"canceled\",\"message\":\"gone\"}}"));
    assertThat(h.lines()).anyMatch(l -> l.contains("CALL") && l.contains("CANCELLED \"gone\""));

    http1(
        Direction.CLIENT_TO_SERVER,
        post("/helloworld.Greeter/SayHelloStreamReply", "application/connect+proto"),
        frameMessage(false, helloRequest("s")));
    http1(
        Direction.SERVER_TO_CLIENT,
        answer("200 OK", "application/connect+proto"),
        frameMessage(false, helloRequest("one")));
    assertThat(h.lines())
        .anyMatch(l -> l.contains("DIAGNOSIS") && l.contains("without its end-of-stream message"));
  }
}
