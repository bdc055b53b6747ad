package dev.ferry.proxy.trace;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a {@link ConnectionTrace} with copies of the bytes a proxied connection reads and writes,
 * without delaying or changing them: each buffer is passed on first and parsed after, through a
 * retained duplicate that the trace releases. It sits after TLS, so what it parses is plaintext,
 * and before protocol detection, so it sees HTTP/2 and HTTP/1.1 alike as bytes.
 */
final class ListenerTraceHandler extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(ListenerTraceHandler.class);

  private final long id;
  private final TraceOptions options;
  private final TraceSink sink;
  private ConnectionTrace trace;
  private boolean opened;

  ListenerTraceHandler(long id, TraceOptions options, TraceSink sink) {
    this.id = id;
    this.options = options;
    this.sink = sink;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    // Added while the accepted channel registers: it is usually active already, and then no
    // channelActive may come to this handler.
    if (ctx.channel().isActive()) {
      open(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    open(ctx);
    ctx.fireChannelActive();
  }

  private void open(ChannelHandlerContext ctx) {
    if (opened) {
      return;
    }
    opened = true;
    // The listener's own address: a replayed call (`ferry call`) goes through the proxy again.
    String listener = TraceTap.hostPort(ctx.channel().localAddress());
    trace = new ConnectionTrace(id, listener, options, sink);
    trace.opened(TraceTap.hostPort(ctx.channel().remoteAddress()), listener);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf) || trace == null) {
      ctx.fireChannelRead(msg);
      return;
    }
    // The copy is taken before passing on: the next handler may release buf before it returns.
    ByteBuf copy = buf.retainedDuplicate();
    ctx.fireChannelRead(msg);
    feed(ctx, Direction.CLIENT_TO_SERVER, copy);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf buf) || trace == null) {
      ctx.write(msg, promise);
      return;
    }
    ByteBuf copy = buf.retainedDuplicate();
    ctx.write(msg, promise);
    feed(ctx, Direction.SERVER_TO_CLIENT, copy);
  }

  /** Takes ownership of {@code copy}; a failing trace costs the trace, never the connection. */
  private void feed(ChannelHandlerContext ctx, Direction direction, ByteBuf copy) {
    try {
      trace.bytes(ctx, direction, copy);
    } catch (RuntimeException e) {
      log.debug("{} trace failed; the connection goes on untraced", ctx.channel(), e);
      close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    close();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    // The pipeline is torn down without channelInactive when registration fails; the trace's
    // buffers must be released either way.
    close();
  }

  /** Ends the trace once; afterwards bytes pass with no copy taken. */
  private void close() {
    ConnectionTrace t = trace;
    trace = null;
    if (t != null) {
      t.closed();
    }
  }
}
