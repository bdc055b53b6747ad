package dev.ferry.proxy.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Looks at a connection's first bytes and installs the protocol they speak, then removes itself,
 * passing on the bytes it saw. The HTTP/2 connection preface installs HTTP/2; a first line ending
 * in an HTTP/1.x version installs HTTP/1.1, whose codec answers a bad request with 400. Anything
 * else is a broken HTTP/2 preface, HTTP/2 being the other protocol spoken here, and goes to HTTP/2,
 * which answers it with GOAWAY PROTOCOL_ERROR (RFC 9113 3.4): so does a preface that starts right
 * ({@code "PRI "}, a method no HTTP/1.1 request uses) and then goes wrong.
 */
final class ProtocolDetectHandler extends ByteToMessageDecoder {
  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

  /** {@code "PRI "}: bytes matching this far are taken for the HTTP/2 preface. */
  private static final int PRI_LENGTH = 4;

  /** The longest request line the HTTP/1.1 codec accepts; a longer one is its to refuse. */
  static final int MAX_REQUEST_LINE = 8192;

  private static final String HTTP1_VERSION = "HTTP/1.";

  private enum Protocol {
    HTTP2,
    HTTP1,
    UNDECIDED
  }

  private final ChannelHandler http2;
  private final Consumer<ChannelHandlerContext> http1;

  /**
   * @param http2 the handler serving HTTP/2, put in this one's place
   * @param http1 installs the HTTP/1.1 handlers after this one's context
   */
  ProtocolDetectHandler(ChannelHandler http2, Consumer<ChannelHandlerContext> http1) {
    this.http2 = http2;
    this.http1 = http1;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    Protocol protocol = detect(in);
    if (protocol == Protocol.UNDECIDED) {
      return;
    }
    if (protocol == Protocol.HTTP2) {
      ctx.pipeline().addAfter(ctx.name(), null, http2);
    } else {
      http1.accept(ctx);
    }
    ctx.pipeline().remove(this);
  }

  private static Protocol detect(ByteBuf in) {
    int prefaceLength = PREFACE.readableBytes();
    int n = Math.min(in.readableBytes(), prefaceLength);
    int same = 0;
    while (same < n && in.getByte(in.readerIndex() + same) == PREFACE.getByte(same)) {
      same++;
    }
    if (same == n) {
      return n < prefaceLength ? Protocol.UNDECIDED : Protocol.HTTP2;
    }
    return same >= PRI_LENGTH ? Protocol.HTTP2 : byRequestLine(in);
  }

  /** HTTP/1.1 if the first line ends in an HTTP/1.x version; undecided until that line is in. */
  private static Protocol byRequestLine(ByteBuf in) {
    int window = Math.min(in.readableBytes(), MAX_REQUEST_LINE);
    int end = in.readerIndex() + window;
    int start = in.readerIndex();
    // RFC 9112 2.2: empty lines before the request line are ignored, as the codec does.
    while (start < end && (in.getByte(start) == '\r' || in.getByte(start) == '\n')) {
      start++;
    }
    int lf = in.indexOf(start, end, (byte) '\n');
    if (lf < 0) {
      return window == MAX_REQUEST_LINE ? Protocol.HTTP1 : Protocol.UNDECIDED;
    }
    int stop = lf;
    while (stop > start && isBlank(in.getByte(stop - 1))) {
      stop--;
    }
    int version = stop;
    while (version > start && in.getByte(version - 1) != ' ') {
      version--;
    }
    boolean http1 =
        stop - version >= HTTP1_VERSION.length()
            && in.toString(version, HTTP1_VERSION.length(), StandardCharsets.US_ASCII)
                .equalsIgnoreCase(HTTP1_VERSION);
    return http1 ? Protocol.HTTP1 : Protocol.HTTP2;
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t' || b == '\r';
  }
}
