package dev.ferry.proxy.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** gRPC on top of the frames: messages, compression, trailers, summaries and root causes. */
class GrpcTraceGoldenTest {
  private static final String I = "                              ";
  private TraceHarness h = new TraceHarness();

  @AfterEach
  void nothingLeftOver() {
    h.finish();
  }

  /** {@code HelloRequest{name: "world"}} with its 5-byte gRPC prefix. */
  static byte[] frameMessage(boolean compressed, byte[] message) {
    byte[] out = new byte[5 + message.length];
    out[0] = (byte) (compressed ? 1 : 0);
    out[1] = (byte) (message.length >>> 24);
    out[2] = (byte) (message.length >>> 16);
    out[3] = (byte) (message.length >>> 8);
    out[4] = (byte) message.length;
    System.arraycopy(message, 0, out, 5, message.length);
    return out;
  }

  static byte[] helloRequest(String name) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] m = new byte[2 + n.length];
    m[0] = 0x0a;
    m[1] = (byte) n.length;
    System.arraycopy(n, 0, m, 2, n.length);
    return m;
  }

  private void requestHeaders(int stream, Http2Headers headers, boolean end) {
    h.client(w -> w.writeHeaders(h.ctx(), stream, headers, 0, end, h.promise()));
  }

  private void clientData(int stream, byte[] bytes, boolean end) {
    h.client(w -> w.writeData(h.ctx(), stream, Unpooled.wrappedBuffer(bytes), 0, end, h.promise()));
  }

  private void serverData(int stream, byte[] bytes, boolean end) {
    h.server(w -> w.writeData(h.ctx(), stream, Unpooled.wrappedBuffer(bytes), 0, end, h.promise()));
  }

  private void responseHeaders(int stream, Http2Headers headers, boolean end) {
    h.server(w -> w.writeHeaders(h.ctx(), stream, headers, 0, end, h.promise()));
  }

  private static Http2Headers ok() {
    return new DefaultHttp2Headers().status("200").add("content-type", "application/grpc");
  }

  @Test
  void unaryCall_showsMessagesTrailersAndOneSummary() {
    h.clientPreface();
    requestHeaders(1, FrameGoldenTest.request(), false);
    clientData(1, frameMessage(false, helloRequest("world")), true);
    h.advanceMillis(3);
    responseHeaders(1, ok(), false);
    serverData(1, frameMessage(false, helloRequest("Hello, world!")), false);
    responseHeaders(1, new DefaultHttp2Headers().add("grpc-status", "0"), true);

    assertThat(h.lines())
        .contains(
            "     0.000ms c1   → s1    MESSAGE       #1 7 bytes",
            I + "1: \"world\"",
            I + "hex: 0a 05 77 6f 72 6c 64",
            "     3.000ms c1   ← s1    HEADERS       END_STREAM|END_HEADERS 1 headers, 15-byte block",
            I + "grpc-status: 0  ⇒ OK",
            "     3.000ms c1   · s1    CALL          /helloworld.Greeter/SayHello OK in 3.000 ms, → 1"
                + " msg 7 B, ← 1 msg 15 B");
    assertThat(h.events.stream().filter(e -> e.kind() == TraceEvent.Kind.DIAGNOSIS)).isEmpty();
  }

  @Test
  void messageSplitAcrossManyDataFrames_isReassembled() {
    byte[] whole = frameMessage(false, helloRequest("x".repeat(100)));
    h.clientPreface();
    requestHeaders(1, FrameGoldenTest.request(), false);
    for (int i = 0; i < whole.length; i += 7) {
      byte[] part = java.util.Arrays.copyOfRange(whole, i, Math.min(whole.length, i + 7));
      clientData(1, part, i + 7 >= whole.length);
    }

    assertThat(h.lines().stream().filter(l -> l.contains("MESSAGE")))
        .containsExactly("     0.000ms c1   → s1    MESSAGE       #1 102 bytes");
    assertThat(h.lines()).contains(I + "1: \"" + "x".repeat(100) + "\"");
  }

  @Test
  void gzipMessage_isDecompressedPerGrpcEncoding() throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(helloRequest("world"));
    }
    h.clientPreface();
    requestHeaders(1, FrameGoldenTest.request().add("grpc-encoding", "gzip"), false);
    clientData(1, frameMessage(true, gz.toByteArray()), true);

    assertThat(h.lines())
        .contains(
            "     0.000ms c1   → s1    MESSAGE       #1 27 bytes, compressed (gzip, 7 bytes"
                + " decompressed)",
            I + "1: \"world\"");
  }

  @Test
  void hugeMessage_keepsOnlyTheFirstBytes() {
    h = new TraceHarness(TraceOptions.defaults().withMaxMessageBytes(4));
    h.clientPreface();
    requestHeaders(1, FrameGoldenTest.request(), false);
    clientData(1, frameMessage(false, helloRequest("world")), true);

    assertThat(h.lines())
        .contains(
            "     0.000ms c1   → s1    MESSAGE       #1 7 bytes, first 4 bytes shown",
            I + "(cut short: raw fields not decoded)",
            I + "hex: 0a 05 77 6f");
  }

  @Test
  void knownSchema_showsJson() {
    h =
        new TraceHarness(
            TraceOptions.defaults()
                .withDecoder((path, dir, bytes) -> "{\"name\":\"" + bytes.length + "\"}"));
    h.clientPreface();
    requestHeaders(1, FrameGoldenTest.request().add("x-user", "ann"), false);
    clientData(1, frameMessage(false, helloRequest("world")), true);
    h.server(w -> w.writeRstStream(h.ctx(), 1, Http2Error.CANCEL.code(), h.promise()));

    assertThat(h.lines()).contains(I + "json: {\"name\":\"7\"}");
    TraceEvent call =
        h.events.stream().filter(e -> e.kind() == TraceEvent.Kind.CALL).findFirst().get();
    assertThat(call.fields().get("command"))
        .isEqualTo(
            "ferry call 127.0.0.1:50051 helloworld.Greeter/SayHello -d '{\"name\":\"7\"}' -H"
                + " 'x-user: ann'");
    assertThat(call.headline())
        .startsWith("/helloworld.Greeter/SayHello RST_STREAM CANCEL by the server");
  }

  @Test
  void failedCall_trailersAreExplained() {
    String details =
        Base64.getEncoder().withoutPadding().encodeToString(new byte[] {8, 5, 0x12, 2, 'n', 'o'});
    h.clientPreface();
    requestHeaders(1, FrameGoldenTest.request(), true);
    responseHeaders(
        1,
        ok().add("grpc-status", "14")
            .add("grpc-message", "no%20healthy%20upstream")
            .add("grpc-status-details-bin", details)
            .add("ferry-local-reply", "no_healthy_upstream"),
        true);

    assertThat(h.lines())
        .contains(
            I + "grpc-status: 14  ⇒ UNAVAILABLE",
            I + "grpc-message: no%20healthy%20upstream  ⇒ no healthy upstream",
            I
                + "grpc-status-details-bin: CAUSAm5v  ⇒ google.rpc.Status{code=5 (NOT_FOUND),"
                + " message=\"no\", details=[]}",
            I
                + "ferry-local-reply: no_healthy_upstream  ⇒ generated by ferry, not by your"
                + " service: the route's cluster has no endpoint that can take the call",
            "     0.000ms c1   · s1    CALL          /helloworld.Greeter/SayHello UNAVAILABLE \"no"
                + " healthy upstream\" in 0.000 ms, → 0 msgs 0 B, ← 0 msgs 0 B");
    // The proxy's own reply is diagnosed with its reason and its detail (the grpc-message).
    assertThat(h.lines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains("DIAGNOSIS")
                    .contains(
                        "generated by ferry's proxy, not by your service: reason"
                            + " no_healthy_upstream (the route's cluster has no endpoint that can"
                            + " take the call); detail: no healthy upstream"));
  }

  @Test
  void htmlAnswerFromAnIntermediary_isNamed() {
    h.clientPreface();
    requestHeaders(1, FrameGoldenTest.request(), true);
    responseHeaders(
        1, new DefaultHttp2Headers().status("503").add("content-type", "text/html"), false);
    serverData(1, "<html>busy</html>".getBytes(StandardCharsets.UTF_8), true);

    assertThat(h.lines())
        .contains(
            "     0.000ms c1   ← s1    DIAGNOSIS     HTTP 503 answer to a gRPC call: gRPC servers"
                + " always answer 200, so an intermediary (load balancer, ingress, proxy) or a"
                + " non-gRPC server answered; the client sees UNAVAILABLE",
            "     0.000ms c1   ← s1    DIAGNOSIS     the answer is an HTML page, not gRPC: an"
                + " intermediary or a web server answered (its body is shown with the call's"
                + " summary)",
            "     0.000ms c1   · s1    CALL          /helloworld.Greeter/SayHello HTTP 503 in"
                + " 0.000 ms, → 0 msgs 0 B, ← 0 msgs 17 B",
            I + "body: <html>busy</html>");
  }

  @Test
  void missingTeTrailers_andNonGrpcContentType_areNamed() {
    h.clientPreface();
    Http2Headers noTe = FrameGoldenTest.request();
    noTe.remove("te");
    requestHeaders(1, noTe, true);
    Http2Headers text = FrameGoldenTest.request();
    text.set("content-type", "text/plain");
    requestHeaders(3, text, true);
    // JSON posted to a method may be a Connect call: only the gRPC server's 415 tells it was not.
    Http2Headers json = FrameGoldenTest.request();
    json.set("content-type", "application/json");
    requestHeaders(5, json, true);
    responseHeaders(5, new DefaultHttp2Headers().status("415"), true);

    assertThat(h.lines())
        .contains(
            "     0.000ms c1   → s1    DIAGNOSIS     request has no 'te: trailers': gRPC servers may"
                + " reject it (grpc-go, grpc-java) and intermediaries may drop the trailers that"
                + " carry grpc-status",
            "     0.000ms c1   → s3    DIAGNOSIS     request content-type is 'text/plain', not"
                + " application/grpc: a gRPC server answers 415 Unsupported Media Type (or treats"
                + " it as plain HTTP)",
            "     0.000ms c1   ← s5    DIAGNOSIS     415 to a request of content-type"
                + " 'application/json': a gRPC server takes application/grpc only; a Connect server"
                + " (or a bridge such as ferry serve's) takes this one");
  }

  @Test
  void goAway_namesTheCallsThatNeverReachedTheServer() {
    h.clientPreface();
    requestHeaders(1, FrameGoldenTest.request(), true);
    requestHeaders(3, FrameGoldenTest.request(), true);
    requestHeaders(5, FrameGoldenTest.request(), true);
    h.server(
        w ->
            w.writeGoAway(
                h.ctx(), 1, Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER, h.promise()));

    assertThat(h.lines())
        .contains(
            "     0.000ms c1   ← s0    DIAGNOSIS     GOAWAY last stream 1: streams [3, 5] never"
                + " reached the server's application; clients retry them on a new connection"
                + " (safe even for non-idempotent calls)",
            "     0.000ms c1   ← s0    DIAGNOSIS     GOAWAY last stream 1: streams [1] were"
                + " accepted and may still finish");
  }

  @Test
  void headerListOverThePeersLimit_isNamed() {
    h.clientPreface();
    h.server(
        w -> w.writeSettings(h.ctx(), new Http2Settings().maxHeaderListSize(100), h.promise()));
    requestHeaders(1, FrameGoldenTest.request(), true);

    assertThat(h.lines())
        .contains(
            "     0.000ms c1   → s1    DIAGNOSIS     header list of 310 bytes is over the receiver's"
                + " SETTINGS_MAX_HEADER_LIST_SIZE 100: the receiver will reset the stream or answer"
                + " 431; gRPC clients see INTERNAL or RESOURCE_EXHAUSTED. Send less metadata.");
  }

  @Test
  void messageOverFourMebibytes_isNamed() {
    h = new TraceHarness(TraceOptions.defaults().withMaxMessageBytes(16));
    h.clientPreface();
    requestHeaders(1, FrameGoldenTest.request(), false);
    h.client(w -> w.writeSettings(h.ctx(), new Http2Settings(), h.promise()));
    h.server(
        w -> w.writeSettings(h.ctx(), new Http2Settings().maxFrameSize(16_777_215), h.promise()));
    int size = 4 * 1024 * 1024 + 1;
    ByteBuf big = Unpooled.buffer(5 + size);
    big.writeByte(0).writeInt(size).writeZero(size);
    h.client(w -> w.writeData(h.ctx(), 1, big, 0, true, h.promise()));

    assertThat(h.lines())
        .contains(
            "     0.000ms c1   → s1    DIAGNOSIS     message of 4194305 bytes is over gRPC's default"
                + " max inbound message size (4 MiB): the receiver fails the call with"
                + " RESOURCE_EXHAUSTED unless it raised its limit");
  }
}
