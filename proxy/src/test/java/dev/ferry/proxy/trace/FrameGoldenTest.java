package dev.ferry.proxy.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every frame type, written by Netty's frame writer, printed exactly as a user sees it. */
class FrameGoldenTest {
  private static final String I = "                              ";
  private final TraceHarness h = new TraceHarness();

  @AfterEach
  void nothingLeftOver() {
    h.finish();
  }

  static Http2Headers request() {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path("/helloworld.Greeter/SayHello")
        .authority("127.0.0.1:50051")
        .add("content-type", "application/grpc")
        .add("te", "trailers");
  }

  @Test
  void settings_showNamedValuesInWireOrder_andAck() {
    h.clientPreface()
        .client(
            w ->
                w.writeSettings(
                    h.ctx(),
                    new Http2Settings().initialWindowSize(1048576).maxHeaderListSize(8192),
                    h.promise()))
        .advanceMillis(2)
        .server(w -> w.writeSettingsAck(h.ctx(), h.promise()));

    assertThat(h.lines())
        .startsWith(
            "     0.000ms c1   → s0    SETTINGS      - INITIAL_WINDOW_SIZE=1048576"
                + " MAX_HEADER_LIST_SIZE=8192",
            "     2.000ms c1   ← s0    SETTINGS      ACK");
  }

  @Test
  void headers_showTheHpackDecodedList() {
    h.clientPreface().client(w -> w.writeHeaders(h.ctx(), 1, request(), 0, false, h.promise()));

    assertThat(h.lines())
        .startsWith(
            "     0.000ms c1   → s1    HEADERS       END_HEADERS 6 headers, 80-byte block",
            I + ":method: POST",
            I + ":scheme: http",
            I + ":path: /helloworld.Greeter/SayHello",
            I + ":authority: 127.0.0.1:50051",
            I + "content-type: application/grpc",
            I + "te: trailers");
  }

  @Test
  void headers_secondBlockUsesTheDynamicTableOfItsOwnDirection() {
    h.clientPreface()
        .client(w -> w.writeHeaders(h.ctx(), 1, request(), 0, true, h.promise()))
        .server(
            w ->
                w.writeHeaders(
                    h.ctx(), 1, new DefaultHttp2Headers().status("200"), 0, false, h.promise()))
        .client(w -> w.writeHeaders(h.ctx(), 3, request(), 0, true, h.promise()));

    assertThat(h.lines())
        .contains(
            "     0.000ms c1   ← s1    HEADERS       END_HEADERS 1 headers, 1-byte block",
            I + ":status: 200",
            "     0.000ms c1   → s3    HEADERS       END_STREAM|END_HEADERS 6 headers, 6-byte block");
  }

  @Test
  void headersWithContinuation_areFoldedIntoOneEventThatSaysSo() {
    Http2Headers big = request().add("x-big", "x".repeat(40_000));
    h.clientPreface().client(w -> w.writeHeaders(h.ctx(), 1, big, 0, true, h.promise()));

    assertThat(h.lines().get(0))
        .isEqualTo(
            "     0.000ms c1   → s1    HEADERS       END_STREAM|END_HEADERS 7 headers,"
                + " 35091-byte block in 3 frames (2 CONTINUATION folded)");
  }

  @Test
  void data_showsLengthAndPadding() {
    h.clientPreface()
        .client(
            w -> w.writeData(h.ctx(), 1, Unpooled.wrappedBuffer(new byte[3]), 8, true, h.promise()))
        .client(w -> w.writeData(h.ctx(), 3, Unpooled.EMPTY_BUFFER, 0, false, h.promise()));

    assertThat(h.lines())
        .containsExactly(
            "     0.000ms c1   → s1    DATA          END_STREAM|PADDED 3 bytes, padding 8",
            "     0.000ms c1   → s3    DATA          - 0 bytes");
  }

  @Test
  void windowUpdatePingAndPriority_showTheirValues() {
    h.clientPreface()
        .server(w -> w.writeWindowUpdate(h.ctx(), 0, 983041, h.promise()))
        .server(w -> w.writePing(h.ctx(), false, 0x1234L, h.promise()))
        .client(w -> w.writePing(h.ctx(), true, 0x1234L, h.promise()))
        .client(w -> w.writePriority(h.ctx(), 3, 1, (short) 32, true, h.promise()));

    assertThat(h.lines())
        .startsWith(
            "     0.000ms c1   ← s0    WINDOW_UPDATE - increment 983041",
            "     0.000ms c1   ← s0    PING          - 0x0000000000001234",
            "     0.000ms c1   → s0    PING          ACK 0x0000000000001234",
            "     0.000ms c1   → s3    PRIORITY      - depends on 1, weight 32, exclusive");
  }

  @Test
  void rstStream_namesTheCodeAndWhatItMeansForTheClient() {
    h.clientPreface()
        .server(w -> w.writeRstStream(h.ctx(), 1, Http2Error.REFUSED_STREAM.code(), h.promise()))
        .client(w -> w.writeRstStream(h.ctx(), 3, 0x99, h.promise()));

    assertThat(h.lines())
        .startsWith(
            "     0.000ms c1   ← s1    RST_STREAM    - REFUSED_STREAM (0x7)",
            I
                + "the server did not process the stream at all: safe to retry, gRPC clients see"
                + " UNAVAILABLE and retry transparently",
            "     0.000ms c1   → s3    RST_STREAM    - UNKNOWN_ERROR(0x99) (0x99)",
            I + "an error code RFC 9113 does not define; treat it as INTERNAL_ERROR");
  }

  @Test
  void goAway_showsLastStreamCodeAndDebugData() {
    h.clientPreface()
        .server(
            w ->
                w.writeGoAway(
                    h.ctx(),
                    5,
                    Http2Error.ENHANCE_YOUR_CALM.code(),
                    Unpooled.copiedBuffer("too_many_pings", StandardCharsets.UTF_8),
                    h.promise()));

    assertThat(h.lines())
        .startsWith(
            "     0.000ms c1   ← s0    GOAWAY        - last stream 5, ENHANCE_YOUR_CALM (0xb)",
            I
                + "the peer thinks it is being abused (too many pings or resets); gRPC clients see"
                + " RESOURCE_EXHAUSTED ('too_many_pings' for keepalive)",
            I
                + "streams above 5 never reached the server's application: safe to retry on a new"
                + " connection",
            I + "debug data: too_many_pings");
  }

  @Test
  void unknownFrameType_isShownAsSuchWithItsBytes() {
    h.clientPreface()
        .server(
            w ->
                w.writeFrame(
                    h.ctx(),
                    (byte) 0xfa,
                    7,
                    new Http2Flags((short) 1),
                    Unpooled.wrappedBuffer(new byte[] {1, 2}),
                    h.promise()));

    assertThat(h.lines())
        .startsWith(
            "     0.000ms c1   ← s7    UNKNOWN(0xfa) 0x1 2 bytes (a frame type RFC 9113 does not"
                + " define; ignored by peers)",
            I + "hex: 01 02");
  }

  @Test
  void pushPromise_showsThePromisedStreamAndItsHeaders() {
    h.clientPreface()
        .server(
            w ->
                w.writePushPromise(
                    h.ctx(), 1, 2, new DefaultHttp2Headers().path("/style.css"), 0, h.promise()));

    assertThat(h.lines())
        .startsWith(
            "     0.000ms c1   ← s1    PUSH_PROMISE  END_HEADERS promised stream 2, 1 headers",
            I + ":path: /style.css");
  }

  @Test
  void garbageAfterThePreface_isReportedAndParsingStops() {
    h.clientPreface()
        .bytes(
            Direction.CLIENT_TO_SERVER,
            Unpooled.wrappedBuffer(new byte[] {0, 0, 4, 0x4, 0, 0, 0, 0, 0, 9, 9, 9, 9}))
        .client(w -> w.writePing(h.ctx(), false, 1, h.promise()));

    assertThat(h.lines())
        .containsExactly(
            "     0.000ms c1   → s0    PARSE_ERROR   FRAME_SIZE_ERROR: SETTINGS frame on stream 0,"
                + " 4 bytes: Frame length 4 invalid."
                + " (parsing of this connection stops; bytes are still relayed)");
  }

  @Test
  void frameOverTheReceiversMaxFrameSize_isAFrameSizeError() {
    h.clientPreface()
        .bytes(
            Direction.SERVER_TO_CLIENT,
            Unpooled.wrappedBuffer(new byte[] {0, 0x40, 1, 0, 0, 0, 0, 0, 1}));

    assertThat(h.lines().get(0))
        .isEqualTo(
            "     0.000ms c1   ← s0    PARSE_ERROR   FRAME_SIZE_ERROR: DATA frame of 16385 bytes on stream 1 is over"
                + " the receiver's SETTINGS_MAX_FRAME_SIZE 16384 (parsing of this connection"
                + " stops; bytes are still relayed)");
  }

  @Test
  void notHttp_isReportedOnce() {
    h.bytes(Direction.CLIENT_TO_SERVER, Unpooled.wrappedBuffer(new byte[] {0x16, 3, 1, 0, 5}));

    assertThat(h.lines().get(0))
        .isEqualTo(
            "     0.000ms c1   → s0    PARSE_ERROR   neither the HTTP/2 connection preface nor an"
                + " HTTP/1.1 request: it looks like a TLS ClientHello: the client speaks TLS to a"
                + " plaintext tap (parsing of this connection stops; bytes are still relayed)");
  }

  @Test
  void prefaceInPieces_isStillRecognised() {
    byte[] preface = new byte[24];
    io.netty.handler.codec.http2.Http2CodecUtil.connectionPrefaceBuf().getBytes(0, preface);
    h.bytes(Direction.CLIENT_TO_SERVER, Unpooled.wrappedBuffer(preface, 0, 10))
        .bytes(Direction.CLIENT_TO_SERVER, Unpooled.wrappedBuffer(preface, 10, 14))
        .client(w -> w.writePing(h.ctx(), false, 7, h.promise()));

    assertThat(h.lines())
        .containsExactly("     0.000ms c1   → s0    PING          - 0x0000000000000007");
  }
}
