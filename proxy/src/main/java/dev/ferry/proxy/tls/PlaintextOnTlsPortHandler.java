package dev.ferry.proxy.tls;

import dev.ferry.proxy.connectionlog.ConnectionEvent;
import dev.ferry.proxy.connectionlog.ConnectionLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stands before a TLS listener's handshake and tells a client that spoke plaintext that this port
 * requires TLS, in the client's own protocol, as nginx answers plain HTTP on an HTTPS port: an
 * HTTP/1.1 request gets a 400 with a one-line body, an HTTP/2 prior-knowledge client SETTINGS, an
 * answer to its first request and a GOAWAY whose debug data says so ({@link
 * PlaintextHttp2Refusal}); then the connection closes. A TLS record (its first byte is never a
 * letter) goes on to the handshake untouched, at the cost of one byte's look.
 */
public final class PlaintextOnTlsPortHandler extends ByteToMessageDecoder {
  /** The body of the answers, and the GOAWAY's debug data. */
  static final String MESSAGE = "ferry: this port requires TLS; the plaintext request was refused";

  /** HTTP methods are short tokens; a longer run of letters is no request line. */
  private static final int MAX_METHOD = 16;

  /**
   * Time the client gets to send its first HTTP/2 request, and then to read the answer and close
   * first: closing with its bytes still unread would send a TCP reset, which can destroy the answer
   * before the client reads it.
   */
  static final long LINGER_MILLIS = 2_000;

  private static final byte[] HTTP2_METHOD = "PRI".getBytes(StandardCharsets.US_ASCII);

  private enum Phase {
    DETECTING,
    HTTP2_AWAITING_REQUEST,
    ANSWERED
  }

  private Phase phase = Phase.DETECTING;
  private PlaintextHttp2Refusal http2;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    switch (phase) {
      case DETECTING -> detect(ctx, in);
      case HTTP2_AWAITING_REQUEST -> readHttp2(ctx, in);
      case ANSWERED -> in.skipBytes(in.readableBytes()); // read, so that the close stays clean
    }
  }

  private void detect(ChannelHandlerContext ctx, ByteBuf in) {
    int method = methodLength(in);
    if (method == 0) {
      return; // not enough bytes yet
    }
    if (method < 0) {
      ctx.pipeline().remove(this); // TLS, or garbage the handshake refuses
      return;
    }
    if (method == HTTP2_METHOD.length && startsWith(in, HTTP2_METHOD)) {
      ConnectionLog.report(
          ctx.channel(),
          ConnectionEvent.PLAINTEXT_ON_TLS_PORT,
          "plaintext HTTP/2 on a TLS port: answered GOAWAY saying it requires TLS");
      phase = Phase.HTTP2_AWAITING_REQUEST;
      http2 = new PlaintextHttp2Refusal();
      http2.start(ctx);
      ctx.executor().schedule(() -> noRequest(ctx), LINGER_MILLIS, TimeUnit.MILLISECONDS);
      readHttp2(ctx, in);
      return;
    }
    in.skipBytes(in.readableBytes());
    ConnectionLog.report(
        ctx.channel(),
        ConnectionEvent.PLAINTEXT_ON_TLS_PORT,
        "plaintext HTTP/1.1 on a TLS port: answered 400 saying it requires TLS");
    phase = Phase.ANSWERED;
    ctx.writeAndFlush(http1Answer(ctx)).addListener((ChannelFutureListener) f -> closeGently(ctx));
  }

  private void readHttp2(ChannelHandlerContext ctx, ByteBuf in) {
    boolean answered;
    try {
      answered = http2.read(ctx, in);
    } catch (Http2Exception e) {
      in.skipBytes(in.readableBytes());
      answered = true; // malformed frames: no request to answer, only the GOAWAY
      http2.goAway(ctx, 0);
    }
    if (answered) {
      phase = Phase.ANSWERED;
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER)
          .addListener((ChannelFutureListener) f -> closeGently(ctx));
    }
  }

  /** The client sent no request in time: GOAWAY alone says it. */
  private void noRequest(ChannelHandlerContext ctx) {
    if (phase == Phase.HTTP2_AWAITING_REQUEST && ctx.channel().isActive()) {
      phase = Phase.ANSWERED;
      http2.goAway(ctx, 0);
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    if (http2 != null) {
      http2.close();
    }
  }

  private static ByteBuf http1Answer(ChannelHandlerContext ctx) {
    String body = MESSAGE + "\n";
    return ByteBufUtil.writeAscii(
        ctx.alloc(),
        "HTTP/1.1 400 Bad Request\r\n"
            + "content-type: text/plain; charset=utf-8\r\n"
            + "content-length: "
            + body.length()
            + "\r\n"
            + "connection: close\r\n"
            + "\r\n"
            + body);
  }

  /**
   * The length of the request method the bytes start with; 0 while undecided, -1 when they start
   * with no method (a TLS record starts with a byte below 0x20).
   */
  private static int methodLength(ByteBuf in) {
    int n = Math.min(in.readableBytes(), MAX_METHOD + 1);
    for (int i = 0; i < n; i++) {
      byte b = in.getByte(in.readerIndex() + i);
      if (b == ' ') {
        return i > 0 ? i : -1;
      }
      if (b < 'A' || b > 'Z') {
        return -1;
      }
    }
    return n > MAX_METHOD ? -1 : 0;
  }

  private static boolean startsWith(ByteBuf in, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (in.getByte(in.readerIndex() + i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Half-closes, so the client reads the answer and closes itself; closes for good later. */
  private static void closeGently(ChannelHandlerContext ctx) {
    if (ctx.channel() instanceof DuplexChannel duplex && duplex.isActive()) {
      duplex.shutdownOutput();
      ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    } else {
      ctx.close();
    }
  }
}
