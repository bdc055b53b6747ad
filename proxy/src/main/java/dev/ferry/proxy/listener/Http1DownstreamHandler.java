package dev.ferry.proxy.listener;

import dev.ferry.proxy.call.CallFactory;
import dev.ferry.proxy.call.ProxyHeaders;
import dev.ferry.proxy.call.Worker;
import dev.ferry.proxy.connectionlog.ConnectionEvent;
import dev.ferry.proxy.connectionlog.ConnectionLog;
import dev.ferry.proxy.http1.Http1Translation;
import dev.ferry.proxy.route.RouteTable;
import dev.ferry.proxy.tls.ClientIdentity;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.transport.FlushScheduler;
import dev.ferry.proxy.transport.Http2Tuning;
import dev.ferry.proxy.transport.StreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves HTTP/1.1 clients: each request gets a {@link StreamHandler} from the {@link CallFactory},
 * through its HTTP/2 view, one at a time (pipelined requests wait their turn). Reading pauses while
 * the backend has not taken a window's worth of the request body.
 */
final class Http1DownstreamHandler extends ChannelInboundHandlerAdapter implements Downstream {
  private static final Logger log = LoggerFactory.getLogger(Http1DownstreamHandler.class);

  private final CallFactory calls;

  /**
   * How much of a request whose answer is already out is read and dropped before the connection is
   * closed anyway: a client uploading without end must not hold it.
   */
  private static final long MAX_SKIPPED_BYTES = 1 << 20;

  private final ArrayDeque<Object> waiting = new ArrayDeque<>(2);
  private ChannelHandlerContext ctx;
  private String clientIp;
  private StreamHandler call;
  private int streamId = -1;
  private boolean bodyless;
  private boolean requestDone;
  private boolean responseStarted;
  private boolean responseDone;
  private boolean keepAlive;
  private boolean head;
  private int unconsumed;
  // The answer went out before the whole request came: the rest of it is read and dropped.
  private boolean skippingRequest;
  private long skipped;
  private FlushScheduler flusher;

  Http1DownstreamHandler(Worker worker, RouteTable routes) {
    this.calls = new CallFactory(worker, routes);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.flusher = new FlushScheduler(ctx, ctx::flush);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (call != null && requestDone || !waiting.isEmpty()) {
      // A pipelined request: it waits until the current response is out.
      waiting.add(msg);
      ctx.channel().config().setAutoRead(false);
      return;
    }
    handle(msg);
  }

  private void handle(Object msg) {
    if (msg instanceof HttpRequest) {
      HttpRequest req = (HttpRequest) msg;
      if (req.decoderResult().isFailure()) {
        ConnectionLog.report(
            ctx.channel(),
            ConnectionEvent.BAD_PREFACE,
            "neither an HTTP/1.1 request nor an HTTP/2 preface: answered 400: "
                + req.decoderResult().cause());
        ReferenceCountUtil.release(msg);
        badRequest();
        return;
      }
      startCall(req);
    }
    if (msg instanceof HttpContent) {
      requestBody((HttpContent) msg);
    } else if (!(msg instanceof HttpRequest)) {
      ReferenceCountUtil.release(msg);
    }
  }

  private void startCall(HttpRequest req) {
    keepAlive = HttpUtil.isKeepAlive(req);
    head = req.method().equals(HttpMethod.HEAD);
    // RFC 9112 6.3: without a length or chunked coding a request has no body.
    bodyless =
        !HttpUtil.isTransferEncodingChunked(req)
                && !req.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
            || HttpUtil.getContentLength(req, -1L) == 0;
    streamId += 2;
    requestDone = false;
    responseStarted = false;
    responseDone = false;
    unconsumed = 0;
    Http2Headers h = Http1Translation.toHttp2Request(req);
    call = calls.newStream(this, streamId, h, bodyless);
    call.start();
  }

  private void requestBody(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    StreamHandler c = call;
    if (c == null && skippingRequest) {
      skipped += content.content().readableBytes();
      content.release();
      if (last) {
        skippingRequest = false;
        nextRequest();
      } else if (skipped > MAX_SKIPPED_BYTES) {
        skippingRequest = false;
        keepAlive = false;
        flushAndClose();
      }
      return;
    }
    if (c == null || bodyless) {
      content.release();
    } else {
      LastHttpContent lastContent = last ? (LastHttpContent) content : null;
      boolean trailers = last && !lastContent.trailingHeaders().isEmpty();
      int n = content.content().readableBytes();
      if (n > 0 || (last && !trailers)) {
        unconsumed += n;
        c.onRequestData(content.content().retain(), last && !trailers);
      }
      if (trailers) {
        c.onRequestTrailers(Http1Translation.toHttp2Trailers(lastContent.trailingHeaders()));
      }
      content.release();
      if (unconsumed > Http2Tuning.STREAM_WINDOW) {
        ctx.channel().config().setAutoRead(false);
      }
    }
    if (last && c != null) {
      requestDone = true;
      maybeFinish();
    }
  }

  private void badRequest() {
    HttpResponse res =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.BAD_REQUEST,
            Unpooled.copiedBuffer(
                "ferry: malformed HTTP/1.1 request\n", java.nio.charset.StandardCharsets.UTF_8));
    res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 35);
    res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
  }

  /** Closes now if no request is in flight, else right after the current response. */
  void drain() {
    keepAlive = false;
    if (call == null) {
      flushAndClose();
    }
  }

  /**
   * Closes once everything written is out. The last response may still wait for its flush
   * (FlushScheduler runs later this turn); a bare close would drop it.
   */
  private void flushAndClose() {
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  // Downstream: the current call's answer, written as HTTP/1.1.

  @Override
  public void writeHeaders(int id, Http2Headers headers, boolean endStream) {
    if (id != streamId || responseDone) {
      return;
    }
    if (!responseStarted) {
      responseStarted = true;
      HttpResponse res = Http1Translation.toHttp1Response(headers, endStream, head);
      if (!keepAlive) {
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
      ctx.write(res, ctx.voidPromise());
      if (endStream) {
        ctx.write(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise());
      }
    } else {
      LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
      Http1Translation.copyTrailers(headers, last.trailingHeaders());
      ctx.write(last, ctx.voidPromise());
      endStream = true;
    }
    flusher.schedule();
    if (endStream) {
      responseDone = true;
      maybeFinish();
    }
  }

  @Override
  public void writeData(
      int id,
      ByteBuf data,
      boolean endStream,
      GenericFutureListener<? extends Future<? super Void>> onWritten) {
    if (id != streamId || responseDone) {
      data.release();
      ctx.newFailedFuture(new IOException("response already complete")).addListener(onWritten);
      return;
    }
    ChannelPromise p = ctx.newPromise();
    p.addListener(onWritten);
    ctx.write(endStream ? new DefaultLastHttpContent(data) : new DefaultHttpContent(data), p);
    flusher.schedule();
    if (endStream) {
      responseDone = true;
      maybeFinish();
    }
  }

  @Override
  public void consume(int id, int bytes) {
    if (id != streamId) {
      return;
    }
    unconsumed -= bytes;
    if (unconsumed <= Http2Tuning.STREAM_WINDOW / 2
        && waiting.isEmpty()
        && !ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void reset(int id, Http2Error error) {
    if (id == streamId && error != Http2Error.NO_ERROR) {
      // HTTP/1.1 cannot reset one exchange: the connection goes.
      ctx.close();
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
    return "HTTP/1.1";
  }

  private void maybeFinish() {
    if (!responseDone) {
      return;
    }
    StreamHandler c = call;
    call = null;
    if (c != null) {
      c.onDownstreamClosed();
    }
    if (!requestDone) {
      // The answer came before the whole request (a refusal, an error from the headers alone).
      // Closing now would have the kernel answer the bytes still coming with a reset, which can
      // destroy the answer before the client reads it: the rest is read and dropped first, as
      // nginx's lingering close does, and the connection then goes on (or closes) as asked.
      skippingRequest = true;
      skipped = 0;
      ctx.channel().config().setAutoRead(true);
      // What of it came already waits in the queue (behind a pipelined request): it goes first.
      while (skippingRequest && !waiting.isEmpty()) {
        handle(waiting.poll());
      }
      return;
    }
    nextRequest();
  }

  /** The exchange is over, request and answer: the next request, or the close asked for. */
  private void nextRequest() {
    if (!keepAlive) {
      flushAndClose();
      return;
    }
    ctx.channel().config().setAutoRead(true);
    while (call == null && !waiting.isEmpty()) {
      handle(waiting.poll());
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      if (call == null) {
        ConnectionLog.report(
            ctx.channel(), ConnectionEvent.IDLE, "closing idle connection: no request open");
        flushAndClose();
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    StreamHandler c = call;
    call = null;
    if (c != null) {
      c.onDownstreamClosed();
    }
    Object m;
    while ((m = waiting.poll()) != null) {
      ReferenceCountUtil.release(m);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      log.debug("{} client connection: {}", ctx.channel(), cause.toString());
    } else {
      log.warn("{} client connection failed", ctx.channel(), cause);
    }
    ctx.close();
  }
}
