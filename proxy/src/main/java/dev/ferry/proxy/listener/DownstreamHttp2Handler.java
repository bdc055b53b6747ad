package dev.ferry.proxy.listener;

import dev.ferry.proxy.call.CallFactory;
import dev.ferry.proxy.call.ProxyHeaders;
import dev.ferry.proxy.call.Worker;
import dev.ferry.proxy.config.ListenerLimits;
import dev.ferry.proxy.connectionlog.ConnectionEvent;
import dev.ferry.proxy.connectionlog.ConnectionLog;
import dev.ferry.proxy.http1.Http1Translation;
import dev.ferry.proxy.route.RouteTable;
import dev.ferry.proxy.tls.ClientIdentity;
import dev.ferry.proxy.transport.DataWrite;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.transport.FlushScheduler;
import dev.ferry.proxy.transport.Http2Tuning;
import dev.ferry.proxy.transport.StreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.io.IOException;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one client's HTTP/2 connection: each new stream gets a {@link StreamHandler} from the
 * {@link CallFactory}, and request DATA is acknowledged only when the handler has passed it on.
 */
public final class DownstreamHttp2Handler extends Http2ConnectionHandler implements Downstream {
  private static final Logger log = LoggerFactory.getLogger(DownstreamHttp2Handler.class);

  private final CallFactory calls;
  private final Http2Connection.PropertyKey callKey;
  private final HeaderBlockMeter headerBlocks = new HeaderBlockMeter();
  private ChannelHandlerContext ctx;
  private String clientIp;
  private boolean windowOpened;
  private FlushScheduler flusher;
  private int upgradeBodyBytes;

  DownstreamHttp2Handler(
      Http2ConnectionDecoder decoder,
      Http2ConnectionEncoder encoder,
      Http2Settings settings,
      Worker worker,
      RouteTable routes) {
    super(decoder, encoder, settings);
    setCumulator(Http2Tuning.CUMULATOR);
    this.calls = new CallFactory(worker, routes);
    this.callKey = connection().newKey();
    connection()
        .addListener(
            new Http2ConnectionAdapter() {
              @Override
              public void onStreamClosed(Http2Stream stream) {
                StreamHandler call = stream.removeProperty(callKey);
                if (call != null) {
                  call.onDownstreamClosed();
                }
              }
            });
  }

  /** A handler enforcing {@code limits} against floods, resets and oversized headers. */
  public static DownstreamHttp2Handler create(
      Worker worker, RouteTable routes, ListenerLimits limits) {
    return create(worker, routes, limits, settingsFor(limits));
  }

  /**
   * A handler that sends {@code settings}, which must come from {@link #settingsFor} with the same
   * {@code limits}: a listener makes them once for all its connections (Netty only reads them).
   */
  static DownstreamHttp2Handler create(
      Worker worker, RouteTable routes, ListenerLimits limits, Http2Settings settings) {
    return new DownstreamHttp2HandlerBuilder(worker, routes, limits)
        .initialSettings(settings)
        .build();
  }

  /** The SETTINGS a listener with {@code limits} sends; not to be changed once in use. */
  static Http2Settings settingsFor(ListenerLimits limits) {
    Http2Settings settings = Http2Tuning.settings(true);
    settings.maxConcurrentStreams(limits.maxConcurrentStreams());
    settings.maxHeaderListSize(limits.maxHeaderListSize());
    return settings;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    this.flusher = new FlushScheduler(ctx, () -> flush(ctx));
    super.handlerAdded(ctx);
    if (ctx.channel().isActive()) {
      openWindow();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    super.channelActive(ctx);
    openWindow();
  }

  private void openWindow() {
    if (!windowOpened) {
      windowOpened = true;
      Http2Tuning.openConnectionWindow(this);
    }
  }

  /** Sends GOAWAY and closes once the open streams end, or after {@code drainMillis}. */
  void drain(long drainMillis) {
    gracefulShutdownTimeoutMillis(drainMillis);
    // Through the channel, not ctx: the close must pass this handler, which sends GOAWAY and
    // waits for the open streams.
    ctx.channel().close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof HttpServerUpgradeHandler.UpgradeEvent) {
      HttpServerUpgradeHandler.UpgradeEvent upgrade = (HttpServerUpgradeHandler.UpgradeEvent) evt;
      try {
        upgraded(ctx, upgrade.upgradeRequest());
      } finally {
        upgrade.release();
      }
      return;
    }
    if (evt instanceof IdleStateEvent) {
      // Idle means no stream: a long-lived stream is never cut for being quiet.
      if (connection().numActiveStreams() == 0) {
        ConnectionLog.report(
            ctx.channel(), ConnectionEvent.IDLE, "closing idle connection: no open stream");
        ctx.channel().close();
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    Http2Exception h2 = Http2CodecUtil.getEmbeddedHttp2Exception(cause);
    if (h2 != null) {
      super.exceptionCaught(ctx, cause); // to onConnectionError or onStreamError
      return;
    }
    // Clients disconnecting is business as usual: debug, not a stack trace.
    if (cause instanceof IOException) {
      log.debug("{} client connection: {}", ctx.channel(), cause.toString());
    } else {
      log.warn("{} client connection failed", ctx.channel(), cause);
    }
    ctx.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof ByteBuf in) {
      headerBlocks.read(in);
    }
    super.channelRead(ctx, msg);
  }

  @Override
  protected void onConnectionError(
      ChannelHandlerContext ctx, boolean outbound, Throwable cause, Http2Exception http2Ex) {
    if (http2Ex != null && !connection().goAwaySent()) {
      ClientConnectionError error =
          ClientConnectionError.of(
              http2Ex,
              outbound,
              decoder().prefaceReceived(),
              decoder().localSettings().maxHeaderListSize(),
              headerBlocks.largestBlock());
      ConnectionLog.report(ctx.channel(), error.event(), error.detail());
    }
    super.onConnectionError(ctx, outbound, cause, http2Ex);
  }

  @Override
  protected void onStreamError(
      ChannelHandlerContext ctx,
      boolean outbound,
      Throwable cause,
      Http2Exception.StreamException http2Ex) {
    if (!outbound) {
      String limit = streamLimit(http2Ex);
      if (limit != null) {
        ConnectionLog.report(ctx.channel(), ConnectionEvent.ABUSE_LIMIT, limit);
      }
    }
    super.onStreamError(ctx, outbound, cause, http2Ex);
  }

  /** The abuse limit a client's stream ran into, or {@code null} for an ordinary stream error. */
  private String streamLimit(Http2Exception.StreamException e) {
    if (e instanceof Http2Exception.HeaderListSizeException) {
      return "header list over the limit of "
          + decoder().localSettings().maxHeaderListSize()
          + " bytes on stream "
          + e.streamId()
          + ": answered 431";
    }
    if (e.error() == Http2Error.REFUSED_STREAM && !connection().goAwaySent()) {
      return "stream limit: more than "
          + connection().remote().maxActiveStreams()
          + " concurrent streams; stream "
          + e.streamId()
          + " refused";
    }
    return null;
  }

  /**
   * The h2c Upgrade request becomes stream 1 (RFC 7540 3.2), already half-closed by the client; its
   * body was read as HTTP/1.1, so HTTP/2 flow control never counted it.
   */
  private void upgraded(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (ctx.pipeline().get(Http1Support.HANDLER_NAME) != null) {
      ctx.pipeline().remove(Http1Support.HANDLER_NAME);
    }
    Http2Stream stream = connection().stream(1);
    if (stream == null) {
      return;
    }
    ByteBuf body = req.content();
    upgradeBodyBytes = body.readableBytes();
    StreamHandler call =
        calls.newStream(this, 1, Http1Translation.toHttp2Request(req), upgradeBodyBytes == 0);
    stream.setProperty(callKey, call);
    call.start();
    if (upgradeBodyBytes > 0) {
      call.onRequestData(body.retain(), true);
    }
  }

  // Downstream: what calls need of this connection.

  @Override
  public void writeHeaders(int streamId, Http2Headers headers, boolean endStream) {
    encoder().writeHeaders(ctx, streamId, headers, 0, endStream, ctx.newPromise());
    scheduleFlush();
  }

  @Override
  public void writeData(
      int streamId,
      ByteBuf data,
      boolean endStream,
      GenericFutureListener<? extends Future<? super Void>> onWritten) {
    DataWrite.send(this, ctx, streamId, data, endStream, onWritten);
    scheduleFlush();
  }

  @Override
  public void consume(int streamId, int bytes) {
    if (streamId == 1 && upgradeBodyBytes > 0) {
      int skip = Math.min(bytes, upgradeBodyBytes);
      upgradeBodyBytes -= skip;
      bytes -= skip;
      if (bytes == 0) {
        return;
      }
    }
    Http2Stream stream = connection().stream(streamId);
    if (stream == null) {
      return;
    }
    try {
      if (decoder().flowController().consumeBytes(stream, bytes)) {
        scheduleFlush();
      }
    } catch (Http2Exception e) {
      onError(ctx, false, e);
    }
  }

  @Override
  public void reset(int streamId, Http2Error error) {
    if (connection().stream(streamId) != null) {
      resetStream(ctx, streamId, error.code(), ctx.newPromise());
      scheduleFlush();
    }
  }

  @Override
  public EventLoop eventLoop() {
    return ctx.channel().eventLoop();
  }

  @Override
  public String clientSubject() {
    return ClientIdentity.subject(ctx.channel());
  }

  @Override
  public String clientIp() {
    if (clientIp == null) {
      clientIp = ProxyHeaders.ipOf(ctx.channel().remoteAddress());
    }
    return clientIp;
  }

  @Override
  public SocketAddress remoteAddress() {
    return ctx.channel().remoteAddress();
  }

  @Override
  public String protocol() {
    return "HTTP/2";
  }

  private void scheduleFlush() {
    flusher.schedule();
  }

  /** The listener of the client's frames, which turns them into calls. */
  Http2FrameListener frames() {
    return new Frames();
  }

  /** Turns the client's frames into calls. */
  private final class Frames extends Http2EventAdapter {
    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean end) {
      Http2Stream stream = connection().stream(streamId);
      if (stream == null) {
        return;
      }
      StreamHandler call = stream.getProperty(callKey);
      if (call != null) {
        call.onRequestTrailers(headers);
        return;
      }
      call = calls.newStream(DownstreamHttp2Handler.this, streamId, headers, end);
      stream.setProperty(callKey, call);
      call.start();
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int streamDependency,
        short weight,
        boolean exclusive,
        int padding,
        boolean endStream) {
      onHeadersRead(ctx, streamId, headers, padding, endStream);
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      Http2Stream stream = connection().stream(streamId);
      StreamHandler call = stream == null ? null : stream.getProperty(callKey);
      if (call != null) {
        call.onClientReset(errorCode); // the stream closes right after this
      }
    }

    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean end) {
      Http2Stream stream = connection().stream(streamId);
      StreamHandler call = stream == null ? null : stream.getProperty(callKey);
      if (call == null) {
        return data.readableBytes() + padding;
      }
      // Only the padding is acknowledged now; the data once the backend has taken it.
      call.onRequestData(data.retain(), end);
      return padding;
    }
  }
}
