package dev.ferry.proxy.trace;

import static dev.ferry.proxy.trace.GrpcTraceGoldenTest.frameMessage;
import static dev.ferry.proxy.trace.GrpcTraceGoldenTest.helloRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * gRPC-Web through the tap, as browsers send it over HTTP/1.1 (and clients over HTTP/2): its
 * messages, its trailer frame and the call's summary, in binary and in base64 text.
 */
class GrpcWebTraceTest {
  private static final String I = "                              ";
  private final TraceHarness h = new TraceHarness();

  @AfterEach
  void nothingLeftOver() {
    h.finish();
  }

  /** gRPC-Web's trailer frame: flag 0x80, then the trailers as HTTP/1.1 header lines. */
  private static byte[] trailerFrame(String lines) {
    byte[] frame = frameMessage(false, lines.getBytes(StandardCharsets.US_ASCII));
    frame[0] = (byte) 0x80;
    return frame;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private void http1(Direction d, String head, byte[] body) {
    ByteBuf b = Unpooled.buffer();
    b.writeCharSequence(
        head + "content-length: " + body.length + "\r\n\r\n", StandardCharsets.US_ASCII);
    b.writeBytes(body);
    h.bytes(d, b);
  }

  private static String request(String contentType) {
    return "POST /helloworld.Greeter/SayHello HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: "
        + contentType
        + "\r\nx-grpc-web: 1\r\n";
  }

  private static String response(String contentType) {
    return "HTTP/1.1 200 OK\r\ncontent-type: " + contentType + "\r\n";
  }

  @Test
  void binaryUnaryOverHttp1_showsMessagesTheTrailerFrameAndOneSummary() {
    http1(
        Direction.CLIENT_TO_SERVER,
        request("application/grpc-web+proto"),
        frameMessage(false, helloRequest("world")));
    h.advanceMillis(2);
    http1(
        Direction.SERVER_TO_CLIENT,
        response("application/grpc-web+proto"),
        concat(
            frameMessage(false, helloRequest("Hello, world!")),
            trailerFrame("grpc-status:0\r\ngrpc-message:\r\n")));

    assertThat(h.lines())
        .contains(
            "     0.000ms c1   → s1    MESSAGE       #1 7 bytes",
            I + "1: \"world\"",
            "     2.000ms c1   ← s1    MESSAGE       #1 15 bytes",
            "     2.000ms c1   ← s1    TRAILERS      gRPC-Web trailer frame, 30 bytes",
            I + "grpc-status: 0  ⇒ OK",
            "     2.000ms c1   · s1    CALL          /helloworld.Greeter/SayHello OK in 2.000 ms, → 1"
                + " msg 7 B, ← 1 msg 15 B");
    assertThat(h.events.stream().filter(e -> e.kind() == TraceEvent.Kind.DIAGNOSIS))
        .as("no te: trailers is needed")
        .isEmpty();
  }

  @Test
  void textBodyCutMidGroup_isDecoded_andAFailedStatusIsShown() {
    String text = Base64.getEncoder().encodeToString(frameMessage(false, helloRequest("world")));
    ByteBuf b = Unpooled.buffer();
    b.writeCharSequence(
        request("application/grpc-web-text")
            + "transfer-encoding: chunked\r\n\r\n"
            + "5\r\n"
            + text.substring(0, 5)
            + "\r\n"
            + Integer.toHexString(text.length() - 5)
            + "\r\n"
            + text.substring(5)
            + "\r\n0\r\n\r\n",
        StandardCharsets.US_ASCII);
    h.bytes(Direction.CLIENT_TO_SERVER, b);
    // A server may encode (and pad) each piece on its own.
    String reply =
        Base64.getEncoder()
            .encodeToString(
                trailerFrame("grpc-status: 14\r\ngrpc-message: backend%20says%20no\r\n"));
    http1(
        Direction.SERVER_TO_CLIENT,
        response("application/grpc-web-text+proto"),
        reply.getBytes(StandardCharsets.US_ASCII));

    assertThat(h.lines())
        .contains("     0.000ms c1   → s1    MESSAGE       #1 7 bytes", I + "1: \"world\"")
        .anyMatch(
            l -> l.contains("CALL") && l.contains("UNAVAILABLE") && l.contains("backend says no"));
  }

  @Test
  void trailersOnlyAnswerOverHttp1_takesItsStatusFromTheHeaders() {
    http1(
        Direction.CLIENT_TO_SERVER,
        request("application/grpc-web+proto"),
        frameMessage(false, helloRequest("world")));
    http1(
        Direction.SERVER_TO_CLIENT,
        "HTTP/1.1 200 OK\r\ncontent-type: application/grpc-web+proto\r\ngrpc-status: 12\r\n"
            + "grpc-message: unknown%20method\r\n",
        new byte[0]);

    assertThat(h.lines()).anyMatch(l -> l.contains("CALL") && l.contains("UNIMPLEMENTED"));
    assertThat(h.events.stream().filter(e -> e.kind() == TraceEvent.Kind.DIAGNOSIS)).isEmpty();
  }

  @Test
  void answerWithoutATrailerFrame_isNamed() {
    http1(
        Direction.CLIENT_TO_SERVER,
        request("application/grpc-web+proto"),
        frameMessage(false, helloRequest("world")));
    http1(
        Direction.SERVER_TO_CLIENT,
        response("application/grpc-web+proto"),
        frameMessage(false, helloRequest("Hello, world!")));

    assertThat(h.lines())
        .anyMatch(
            l ->
                l.contains("DIAGNOSIS")
                    && l.contains("ended without its trailer frame (flag 0x80)"));
  }

  @Test
  void textBodyThatIsNotBase64_isNamedOnce() {
    http1(
        Direction.CLIENT_TO_SERVER,
        request("application/grpc-web-text"),
        "AAAA!!!!AAAA".getBytes(StandardCharsets.US_ASCII));

    assertThat(h.lines().stream().filter(l -> l.contains("is not base64"))).hasSize(1);
  }

  @Test
  void grpcWebOverHttp2_readsTheTrailerFrameAtTheEndOfTheBody() {
    h.clientPreface();
    Http2Headers request = FrameGoldenTest.request();
    request.set("content-type", "application/grpc-web+proto");
    request.remove("te");
    h.client(w -> w.writeHeaders(h.ctx(), 1, request, 0, false, h.promise()));
    h.client(
        w ->
            w.writeData(
                h.ctx(),
                1,
                Unpooled.wrappedBuffer(frameMessage(false, helloRequest("world"))),
                0,
                true,
                h.promise()));
    Http2Headers ok =
        new DefaultHttp2Headers().status("200").add("content-type", "application/grpc-web+proto");
    h.server(w -> w.writeHeaders(h.ctx(), 1, ok, 0, false, h.promise()));
    byte[] body =
        concat(
            frameMessage(false, helloRequest("Hello, world!")), trailerFrame("grpc-status: 0\r\n"));
    h.server(w -> w.writeData(h.ctx(), 1, Unpooled.wrappedBuffer(body), 0, true, h.promise()));

    assertThat(h.lines())
        .contains(I + "grpc-status: 0  ⇒ OK")
        .anyMatch(l -> l.contains("CALL") && l.contains(" OK in "));
    assertThat(h.events.stream().filter(e -> e.kind() == TraceEvent.Kind.DIAGNOSIS)).isEmpty();
  }
}
