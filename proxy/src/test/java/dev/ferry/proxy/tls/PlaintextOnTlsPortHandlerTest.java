package dev.ferry.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.connectionlog.CapturedLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PlaintextOnTlsPortHandlerTest {
  @RegisterExtension final CapturedLog captured = new CapturedLog();
  private final EmbeddedChannel ch = new EmbeddedChannel(new PlaintextOnTlsPortHandler());

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  private String written() {
    StringBuilder out = new StringBuilder();
    ByteBuf b;
    while ((b = ch.readOutbound()) != null) {
      out.append(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    return out.toString();
  }

  @Test
  void http11Request_gets400SayingThePortRequiresTls_andTheConnectionCloses() {
    ch.writeInbound(ascii("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));

    String response = written();
    assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n");
    assertThat(response).contains("connection: close\r\n");
    assertThat(response).endsWith("\r\n\r\n" + PlaintextOnTlsPortHandler.MESSAGE + "\n");
    assertThat(ch.isOpen()).isFalse();
    assertThat(captured.lines(" plaintext HTTP/1.1 on a TLS port")).hasSize(1);
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void requestLineArrivingByteByByte_isAnsweredOnceItsMethodIsIn() {
    ch.writeInbound(ascii("PO"));
    assertThat(written()).isEmpty();

    ch.writeInbound(ascii("ST / HTTP/1.1\r\n"));

    assertThat(written()).startsWith("HTTP/1.1 400 ");
    assertThat(ch.finish()).isFalse();
  }

  /** The frames the handler wrote, decoded. */
  private List<String> frames() throws Exception {
    List<String> frames = new ArrayList<>();
    ByteBuf all = Unpooled.buffer();
    ByteBuf b;
    while ((b = ch.readOutbound()) != null) {
      all.writeBytes(b);
      b.release();
    }
    // The reader's HPACK decoder allocates through a context; any channel's will do.
    EmbeddedChannel decoding = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    try (DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader()) {
      reader.readFrame(
          decoding.pipeline().firstContext(),
          all,
          new Http2FrameAdapter() {
            @Override
            public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
              frames.add("SETTINGS");
            }

            @Override
            public void onHeadersRead(
                ChannelHandlerContext ctx,
                int streamId,
                Http2Headers headers,
                int padding,
                boolean endOfStream) {
              frames.add(
                  "HEADERS "
                      + streamId
                      + " :status="
                      + headers.status()
                      + " grpc-status="
                      + headers.get("grpc-status")
                      + " grpc-message="
                      + headers.get("grpc-message")
                      + (endOfStream ? " END_STREAM" : ""));
            }

            @Override
            public int onDataRead(
                ChannelHandlerContext ctx,
                int streamId,
                ByteBuf data,
                int padding,
                boolean endOfStream) {
              frames.add("DATA " + streamId + " " + data.toString(StandardCharsets.US_ASCII));
              return data.readableBytes();
            }

            @Override
            public void onGoAwayRead(
                ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
              frames.add(
                  "GOAWAY "
                      + lastStreamId
                      + " "
                      + Http2Error.valueOf(errorCode)
                      + " "
                      + debugData.toString(StandardCharsets.US_ASCII));
            }
          });
    } finally {
      all.release();
      decoding.finishAndReleaseAll();
    }
    return frames;
  }

  private ByteBuf request(int streamId, String contentType) {
    EmbeddedChannel bytes = new EmbeddedChannel();
    ChannelHandlerContext ctx =
        bytes.pipeline().addLast(new ChannelInboundHandlerAdapter()).firstContext();
    try (DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter()) {
      Http2Headers h =
          new DefaultHttp2Headers()
              .method("POST")
              .scheme("http")
              .path("/helloworld.Greeter/SayHello")
              .set("content-type", contentType);
      writer.writeSettings(ctx, new Http2Settings(), ctx.newPromise());
      writer.writeHeaders(ctx, streamId, h, 0, true, ctx.newPromise());
    }
    bytes.flushOutbound();
    ByteBuf out = Unpooled.buffer();
    ByteBuf b;
    while ((b = bytes.readOutbound()) != null) {
      out.writeBytes(b);
      b.release();
    }
    bytes.finishAndReleaseAll();
    return out;
  }

  @Test
  void http2GrpcClient_getsSettings_thenUnavailableForItsRequest_thenGoAway() throws Exception {
    ch.writeInbound(Http2CodecUtil.connectionPrefaceBuf());
    assertThat(frames()).containsExactly("SETTINGS");

    ch.writeInbound(request(1, "application/grpc"));

    assertThat(frames())
        .containsExactly(
            "HEADERS 1 :status=200 grpc-status=14 grpc-message="
                + PlaintextOnTlsPortHandler.MESSAGE
                + " END_STREAM",
            "GOAWAY 1 PROTOCOL_ERROR " + PlaintextOnTlsPortHandler.MESSAGE);
    assertThat(ch.isOpen()).isFalse();
    assertThat(captured.lines(" plaintext HTTP/2 on a TLS port")).hasSize(1);
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void http2RequestOtherThanGrpc_gets400WithTheMessage() throws Exception {
    ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
    ch.writeInbound(Unpooled.wrappedBuffer(preface, request(3, "application/json")));

    assertThat(frames())
        .containsExactly(
            "SETTINGS",
            "HEADERS 3 :status=400 grpc-status=null grpc-message=null",
            "DATA 3 " + PlaintextOnTlsPortHandler.MESSAGE + "\n",
            "GOAWAY 3 PROTOCOL_ERROR " + PlaintextOnTlsPortHandler.MESSAGE);
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void http2ClientSendingNoRequest_getsGoAwayAlone_afterTheLinger() throws Exception {
    ch.writeInbound(Http2CodecUtil.connectionPrefaceBuf());
    assertThat(frames()).containsExactly("SETTINGS");

    ch.advanceTimeBy(PlaintextOnTlsPortHandler.LINGER_MILLIS, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();

    assertThat(frames())
        .containsExactly("GOAWAY 0 PROTOCOL_ERROR " + PlaintextOnTlsPortHandler.MESSAGE);
    assertThat(ch.isOpen()).isFalse();
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void tlsRecord_passesOnUntouched_andTheHandlerStepsAside() {
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05}));

    ByteBuf passed = ch.readInbound();
    assertThat(passed.readableBytes()).isEqualTo(5);
    passed.release();
    assertThat(ch.pipeline().get(PlaintextOnTlsPortHandler.class)).isNull();
    assertThat(written()).isEmpty();
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void lettersWithoutASpace_areNoRequest_andGoOnToTheHandshake() {
    ch.writeInbound(ascii("ABCDEFGHIJKLMNOPQRSTUVWXYZ"));

    ByteBuf passed = ch.readInbound();
    assertThat(passed.readableBytes()).isEqualTo(26);
    passed.release();
    assertThat(written()).isEmpty();
    assertThat(ch.finish()).isFalse();
  }
}
