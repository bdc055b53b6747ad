package dev.ferry.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.concurrent.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DATA the proxy sends through {@link DataWrite}, against a peer whose stream window is 16 bytes
 * and that gives window back only when the test says so: two Netty HTTP/2 handlers on
 * EmbeddedChannels, bytes pumped between them.
 */
class DataWriteTest {
  private static final int WINDOW = 16;
  private static final int STREAM = 3;

  /** The DATA frames the peer read on the stream: their bodies, and END_STREAM flags. */
  private final List<String> frames = new ArrayList<>();

  private final List<Boolean> ends = new ArrayList<>();
  private final List<Future<?>> told = new ArrayList<>();

  private final Http2ConnectionHandler sender =
      new Http2ConnectionHandlerBuilder()
          .server(false)
          .frameListener(new Http2EventAdapter())
          .build();
  private final Http2ConnectionHandler peer =
      new Http2ConnectionHandlerBuilder()
          .server(true)
          .initialSettings(new Http2Settings().initialWindowSize(WINDOW))
          .frameListener(
              new Http2EventAdapter() {
                @Override
                public int onDataRead(
                    ChannelHandlerContext ctx, int id, ByteBuf data, int padding, boolean end) {
                  frames.add(data.toString(StandardCharsets.US_ASCII));
                  ends.add(end);
                  return 0; // the window comes back only through give()
                }
              })
          .build();
  private final EmbeddedChannel senderChannel = new EmbeddedChannel(sender);
  private final EmbeddedChannel peerChannel = new EmbeddedChannel(peer);

  @BeforeEach
  void openStream() {
    pump(); // prefaces and SETTINGS: the sender learns the 16-byte window
    Http2Headers request =
        new DefaultHttp2Headers().method("POST").scheme("http").path("/a").authority("x");
    sender.encoder().writeHeaders(ctx(), STREAM, request, 0, false, senderChannel.newPromise());
    senderChannel.flush();
    pump();
  }

  @AfterEach
  void nothingLeftOver() {
    senderChannel.finishAndReleaseAll();
    peerChannel.finishAndReleaseAll();
  }

  @Test
  void pieceLargerThanTheWindow_leavesAsTheWindowOpens_andTellsOnceAfterItsLastByte() {
    send(Unpooled.copiedBuffer("0123456789abcdefghijklmnopqrstuvwxyz", StandardCharsets.US_ASCII));

    assertThat(frames).containsExactly("0123456789abcdef");
    assertThat(told).isEmpty();
    give(WINDOW);
    assertThat(frames).containsExactly("0123456789abcdef", "ghijklmnopqrstuv");
    assertThat(told).isEmpty();
    give(WINDOW);
    assertThat(frames).containsExactly("0123456789abcdef", "ghijklmnopqrstuv", "wxyz");
    assertThat(ends).containsExactly(false, false, false);
    assertThat(told).singleElement().satisfies(f -> assertThat(f.isSuccess()).isTrue());
  }

  @Test
  void pieceThatEndsTheStream_setsEndStreamOnItsLastFrame_andHalfClosesTheStream() {
    send(Unpooled.copiedBuffer("0123456789abcdefXY", StandardCharsets.US_ASCII), true);
    give(WINDOW);

    assertThat(frames).containsExactly("0123456789abcdef", "XY");
    assertThat(ends).containsExactly(false, true);
    assertThat(told).singleElement().satisfies(f -> assertThat(f.isSuccess()).isTrue());
    assertThat(sender.connection().stream(STREAM).state())
        .isEqualTo(Http2Stream.State.HALF_CLOSED_LOCAL);
  }

  @Test
  void emptyPieceThatDoesNotEndTheStream_isNoFrame_butIsTold() {
    send(Unpooled.EMPTY_BUFFER);

    assertThat(frames).isEmpty();
    assertThat(told).singleElement().satisfies(f -> assertThat(f.isSuccess()).isTrue());
  }

  @Test
  void emptyPieceThatEndsTheStream_isAnEmptyFrameWithEndStream_evenWithNoWindowLeft() {
    send(Unpooled.copiedBuffer("0123456789abcdef", StandardCharsets.US_ASCII));
    send(Unpooled.EMPTY_BUFFER, true);

    assertThat(frames).containsExactly("0123456789abcdef", "");
    assertThat(ends).containsExactly(false, true);
    assertThat(told).hasSize(2).allSatisfy(f -> assertThat(f.isSuccess()).isTrue());
  }

  @Test
  void smallPiece_leavesAsOneBuffer_theFrameHeaderThenACopyOfThePayload() {
    ByteBuf piece = Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII);
    DataWrite.send(sender, ctx(), STREAM, piece, true, told::add);
    senderChannel.flush();

    ByteBuf wire = senderChannel.readOutbound();
    assertThat(senderChannel.outboundMessages()).isEmpty();
    assertThat(piece.refCnt()).isZero();
    // length 3, type DATA (0), flags END_STREAM (1), stream 3; then the payload
    assertThat(ByteBufUtil.hexDump(wire)).isEqualTo("000003000100000003" + "616263");
    peerChannel.writeInbound(wire);
    pump();
    assertThat(frames).containsExactly("abc");
    assertThat(ends).containsExactly(true);
    assertThat(told).singleElement().satisfies(f -> assertThat(f.isSuccess()).isTrue());
  }

  @Test
  void pieceAboveTheCopyLimit_leavesAsItIs_behindAFrameHeaderOfItsOwn() {
    // The peer opens the stream's window wide without having read anything (its encoder leaves
    // WINDOW_UPDATE to its flow controller, which sends one only for bytes read).
    peer.encoder()
        .frameWriter()
        .writeWindowUpdate(
            peerChannel.pipeline().context(peer),
            STREAM,
            DataWrite.COPIED_PAYLOAD,
            peerChannel.newPromise());
    peerChannel.flush();
    pump();
    String body = "x".repeat(DataWrite.COPIED_PAYLOAD + 1);
    ByteBuf piece = Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII);
    DataWrite.send(sender, ctx(), STREAM, piece, false, told::add);
    senderChannel.flush();

    ByteBuf header = senderChannel.readOutbound();
    ByteBuf payload = senderChannel.readOutbound();
    // length 1,025, type DATA, no flags, stream 3; the payload follows in a buffer of its own.
    // (The peer would refuse the frame: its own window is still 16 bytes.)
    assertThat(ByteBufUtil.hexDump(header)).isEqualTo("000401000000000003");
    assertThat(payload.toString(StandardCharsets.US_ASCII)).isEqualTo(body);
    header.release();
    payload.release();
    assertThat(told).singleElement().satisfies(f -> assertThat(f.isSuccess()).isTrue());
  }

  @Test
  void streamThatCannotSend_failsAtOnce_andReleasesThePiece() {
    ByteBuf piece = Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII);
    DataWrite.send(sender, ctx(), 99, piece, false, told::add);

    assertThat(piece.refCnt()).isZero();
    assertThat(told)
        .singleElement()
        .satisfies(f -> assertThat(f.cause()).hasMessage("stream 99 gone"));
  }

  @Test
  void streamResetWhileWaitingForWindow_failsThePiece_andReleasesWhatWasNotSent() {
    ByteBuf piece = Unpooled.copiedBuffer("0123456789abcdefXY", StandardCharsets.US_ASCII);
    send(piece);
    assertThat(frames).containsExactly("0123456789abcdef");

    peer.resetStream(
        peerChannel.pipeline().context(peer), STREAM, 8 /* CANCEL */, peerChannel.newPromise());
    peerChannel.flush();
    pump();

    assertThat(piece.refCnt()).isZero();
    assertThat(told).singleElement().satisfies(f -> assertThat(f.isSuccess()).isFalse());
    assertThat(frames).containsExactly("0123456789abcdef");
  }

  private void send(ByteBuf piece) {
    send(piece, false);
  }

  private void send(ByteBuf piece, boolean endStream) {
    DataWrite.send(sender, ctx(), STREAM, piece, endStream, told::add);
    senderChannel.flush();
    pump();
  }

  /** The peer read {@code bytes} more of the stream: its window opens by that much. */
  private void give(int bytes) {
    try {
      peer.decoder().flowController().consumeBytes(peer.connection().stream(STREAM), bytes);
    } catch (Http2Exception e) {
      throw new AssertionError(e);
    }
    peerChannel.flush();
    pump();
  }

  private ChannelHandlerContext ctx() {
    return senderChannel.pipeline().context(sender);
  }

  /** Moves bytes both ways until neither side has anything more to say. */
  private void pump() {
    boolean moved = true;
    while (moved) {
      moved = false;
      ByteBuf b;
      while ((b = senderChannel.readOutbound()) != null) {
        peerChannel.writeInbound(b);
        moved = true;
      }
      while ((b = peerChannel.readOutbound()) != null) {
        senderChannel.writeInbound(b);
        moved = true;
      }
    }
    senderChannel.checkException();
    peerChannel.checkException();
  }
}
