package dev.ferry.proxy.upstream;

import dev.ferry.proxy.http1.Http1Translation;
import dev.ferry.proxy.transport.FlushScheduler;
import dev.ferry.proxy.transport.Http2Tuning;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One keep-alive HTTP/1.1 connection to a REST backend, carrying one call at a time; the call's
 * HTTP/2 view is translated on the way out and back. The backend is held back by TCP: reading
 * pauses while the client has not taken a window's worth of the response.
 */
final class H1UpstreamConnection extends ChannelInboundHandlerAdapter implements Upstream {
  private static final Logger log = LoggerFactory.getLogger(H1UpstreamConnection.class);
  private static final int EXCHANGE_ID = 1;

  private final UpstreamEndpoint endpoint;
  private ChannelHandlerContext ctx;
  private UpstreamListener listener;
  private boolean requestDone;
  private boolean responseDone;
  private boolean keepAlive;
  private boolean closed;
  private int unconsumed;
  private FlushScheduler flusher;

  H1UpstreamConnection(UpstreamEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.flusher = new FlushScheduler(ctx, ctx::flush);
  }

  boolean isIdle() {
    return listener == null && !closed && ctx != null && ctx.channel().isActive();
  }

  @Override
  public int open(Http2Headers headers, boolean endStream, UpstreamListener l) {
    if (!isIdle()) {
      return -1;
    }
    listener = l;
    requestDone = endStream;
    responseDone = false;
    keepAlive = true;
    ctx.write(Http1Translation.toHttp1Request(headers, endStream), ctx.voidPromise());
    if (endStream) {
      ctx.write(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise());
    }
    flusher.schedule();
    return EXCHANGE_ID;
  }

  @Override
  public void writeData(
      int streamId,
      ByteBuf data,
      boolean endStream,
      GenericFutureListener<? extends Future<? super Void>> onWritten) {
    ChannelPromise p = ctx.newPromise();
    p.addListener(onWritten);
    ctx.write(endStream ? new DefaultLastHttpContent(data) : new DefaultHttpContent(data), p);
    flusher.schedule();
    if (endStream) {
      requestDone = true;
      maybeReuse();
    }
  }

  @Override
  public void writeTrailers(int streamId, Http2Headers trailers) {
    LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
    Http1Translation.copyTrailers(trailers, last.trailingHeaders());
    ctx.write(last, ctx.voidPromise());
    flusher.schedule();
    requestDone = true;
    maybeReuse();
  }

  @Override
  public void consume(int streamId, int bytes) {
    unconsumed -= bytes;
    if (!ctx.channel().config().isAutoRead() && unconsumed <= Http2Tuning.STREAM_WINDOW / 2) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void reset(int streamId, Http2Error error) {
    // HTTP/1.1 has no way to cancel one request but to close its connection.
    listener = null;
    closed = true;
    ctx.close();
  }

  @Override
  public String endpointName() {
    return endpoint.name();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    UpstreamListener l = listener;
    if (l == null) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpResponse) {
      HttpResponse res = (HttpResponse) msg;
      int code = res.status().code();
      if (code >= 100 && code < 200) {
        ReferenceCountUtil.release(msg);
        return; // 100 Continue and friends: the call wants the final answer
      }
      keepAlive = HttpUtil.isKeepAlive(res);
      l.onResponseHeaders(Http1Translation.toHttp2Response(res), false);
    }
    if (msg instanceof HttpContent) {
      HttpContent content = (HttpContent) msg;
      boolean last = msg instanceof LastHttpContent;
      boolean trailers = last && !((LastHttpContent) msg).trailingHeaders().isEmpty();
      if (last) {
        responseDone = true;
        listener = null;
      }
      int n = content.content().readableBytes();
      if (n > 0 || (last && !trailers)) {
        unconsumed += n;
        l.onResponseData(content.content().retain(), last && !trailers);
        if (unconsumed > Http2Tuning.STREAM_WINDOW) {
          ctx.channel().config().setAutoRead(false);
        }
      }
      if (trailers) {
        l.onResponseHeaders(
            Http1Translation.toHttp2Trailers(((LastHttpContent) msg).trailingHeaders()), true);
      }
      content.release();
      if (last) {
        maybeReuse();
      }
    }
  }

  private void maybeReuse() {
    if (requestDone && responseDone && listener == null && !closed) {
      if (keepAlive) {
        unconsumed = 0;
        ctx.channel().config().setAutoRead(true);
        endpoint.idle(this);
      } else {
        closed = true;
        ctx.close();
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    endpoint.remove(this);
    UpstreamListener l = listener;
    listener = null;
    if (l != null) {
      l.onUpstreamFailed(
          UpstreamFailure.of(UpstreamFailure.Kind.CONNECTION_LOST, "connection closed by backend"));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      log.debug("{} upstream {}: {}", ctx.channel(), endpoint.name(), cause.toString());
    } else {
      log.warn("{} upstream {} failed", ctx.channel(), endpoint.name(), cause);
    }
    ctx.close();
  }
}
