package dev.ferry.proxy.listener;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;
import java.util.function.Consumer;

/**
 * Looks at a connection's first bytes: the HTTP/2 connection preface installs the HTTP/2 pipeline,
 * anything else the HTTP/1.1 one; then it removes itself, passing on the bytes it saw.
 */
final class ProtocolDetectHandler extends ByteToMessageDecoder {
  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

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
    int prefaceLength = PREFACE.readableBytes();
    int n = Math.min(in.readableBytes(), prefaceLength);
    if (ByteBufUtil.equals(PREFACE, PREFACE.readerIndex(), in, in.readerIndex(), n)) {
      if (n < prefaceLength) {
        return; // so far so good: wait for the rest of the preface
      }
      ctx.pipeline().addAfter(ctx.name(), null, http2);
    } else {
      http1.accept(ctx);
    }
    ctx.pipeline().remove(this);
  }
}
