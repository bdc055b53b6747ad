package dev.ferry.proxy.upstream;

import dev.ferry.proxy.transport.DataWrite;
import dev.ferry.proxy.transport.FlushScheduler;
import dev.ferry.proxy.transport.Http2Tuning;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/2 (h2c prior knowledge) connection to a backend, multiplexing the calls of one event
 * loop. Response DATA is acknowledged only when the call says the client took it ({@link
 * #consume}), so a slow client holds back the backend rather than filling the proxy's heap.
 */
public final class H2UpstreamConnection extends Http2ConnectionHandler implements Upstream {
  private static final Logger log = LoggerFactory.getLogger(H2UpstreamConnection.class);

  private final UpstreamEndpoint endpoint;
  private final Http2Connection.PropertyKey listenerKey;
  private final List<ConnectCallback> waiters = new ArrayList<>(4);
  private ChannelHandlerContext ctx;
  private boolean ready;
  private boolean closed;
  private FlushScheduler flusher;

  private H2UpstreamConnection(
      Http2ConnectionDecoder decoder,
      Http2ConnectionEncoder encoder,
      Http2Settings settings,
      UpstreamEndpoint endpoint) {
    super(decoder, encoder, settings);
    setCumulator(Http2Tuning.CUMULATOR);
    this.endpoint = endpoint;
    this.listenerKey = connection().newKey();
    connection().addListener(new StreamEvents());
  }

  static H2UpstreamConnection create(UpstreamEndpoint endpoint, Http2Settings settings) {
    return new Builder(endpoint).initialSettings(settings).build();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    this.flusher = new FlushScheduler(ctx, () -> flush(ctx));
    super.handlerAdded(ctx);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    super.channelActive(ctx);
    Http2Tuning.openConnectionWindow(this);
  }

  boolean isReady() {
    return ready && !closed && !connection().goAwayReceived();
  }

  boolean isConnecting() {
    return !ready && !closed;
  }

  int waiterCount() {
    return waiters.size();
  }

  void addWaiter(ConnectCallback cb) {
    waiters.add(cb);
  }

  boolean canOpenStream() {
    return connection().local().canOpenStream();
  }

  int activeStreams() {
    return connection().numActiveStreams();
  }

  /** The connection attempt failed: tell every waiting call. */
  void connectFailed(UpstreamFailure cause) {
    closed = true;
    endpoint.remove(this);
    List<ConnectCallback> w = new ArrayList<>(waiters);
    waiters.clear();
    for (ConnectCallback cb : w) {
      cb.onConnectFailed(cause);
    }
  }

  private void becameReady() {
    ready = true;
    List<ConnectCallback> w = new ArrayList<>(waiters);
    waiters.clear();
    for (ConnectCallback cb : w) {
      cb.onUpstreamReady(this);
    }
  }

  @Override
  public int open(Http2Headers headers, boolean endStream, UpstreamListener listener) {
    if (!isReady() || !canOpenStream()) {
      return -1;
    }
    int id = connection().local().incrementAndGetNextStreamId();
    if (id < 0) {
      return -1; // stream ids exhausted: this connection takes no more
    }
    encoder().writeHeaders(ctx, id, headers, 0, endStream, ctx.voidPromise());
    Http2Stream stream = connection().stream(id);
    if (stream == null) {
      return -1;
    }
    stream.setProperty(listenerKey, listener);
    scheduleFlush();
    return id;
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
  public void writeTrailers(int streamId, Http2Headers trailers) {
    encoder().writeHeaders(ctx, streamId, trailers, 0, true, ctx.voidPromise());
    scheduleFlush();
  }

  @Override
  public void consume(int streamId, int bytes) {
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
    Http2Stream stream = connection().stream(streamId);
    if (stream != null) {
      stream.removeProperty(listenerKey);
      resetStream(ctx, streamId, error.code(), ctx.newPromise());
      scheduleFlush();
    }
  }

  /**
   * Closes the connection; the calls on it hear {@code why} first, so that they end for the reason
   * the proxy closed it, not as if the backend had been lost.
   */
  void closeChannel(UpstreamFailure why) {
    if (ctx == null) {
      return;
    }
    try {
      connection()
          .forEachActiveStream(
              stream -> {
                UpstreamListener l = detach(stream);
                if (l != null) {
                  l.onUpstreamFailed(why);
                }
                return true;
              });
    } catch (Http2Exception e) {
      throw new IllegalStateException(e);
    }
    ctx.close();
  }

  @Override
  public String endpointName() {
    return endpoint.name();
  }

  private void scheduleFlush() {
    flusher.schedule();
  }

  private UpstreamListener detach(Http2Stream stream) {
    return stream == null ? null : stream.removeProperty(listenerKey);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closed = true;
    endpoint.remove(this);
    if (!ready) {
      connectFailed(
          UpstreamFailure.of(
              UpstreamFailure.Kind.NO_HTTP2,
              "connection to " + endpoint.name() + " closed before HTTP/2 settings"));
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
      log.debug("{} upstream {}: {}", ctx.channel(), endpoint.name(), cause.toString());
      super.exceptionCaught(ctx, cause);
      return;
    }
    // A backend going away is expected: its calls get a gRPC status, the log gets a debug line.
    if (cause instanceof IOException) {
      log.debug("{} upstream {}: {}", ctx.channel(), endpoint.name(), cause.toString());
    } else {
      log.warn("{} upstream {} failed", ctx.channel(), endpoint.name(), cause);
    }
    ctx.close();
  }

  /** Forwards frames of the backend's streams to their calls. */
  private final class Frames extends Http2EventAdapter {
    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean end) {
      Http2Stream stream = connection().stream(streamId);
      UpstreamListener l = end ? detach(stream) : listenerOf(stream);
      if (l != null) {
        l.onResponseHeaders(headers, end);
      }
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
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean end) {
      Http2Stream stream = connection().stream(streamId);
      UpstreamListener l = end ? detach(stream) : listenerOf(stream);
      if (l == null) {
        return data.readableBytes() + padding;
      }
      // Only the padding is acknowledged now; the data when the client has taken it.
      l.onResponseData(data.retain(), end);
      return padding;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      UpstreamListener l = detach(connection().stream(streamId));
      if (l != null) {
        Http2Error e = Http2Error.valueOf(errorCode);
        String name = e == null ? "0x" + Long.toHexString(errorCode) : e.name();
        l.onUpstreamFailed(
            UpstreamFailure.of(
                e == Http2Error.REFUSED_STREAM
                    ? UpstreamFailure.Kind.STREAM_REFUSED
                    : UpstreamFailure.Kind.STREAM_RESET,
                "reset by backend (" + name + ")"));
      }
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
      if (!ready && !closed) {
        becameReady();
      }
    }
  }

  private UpstreamListener listenerOf(Http2Stream stream) {
    return stream == null ? null : stream.getProperty(listenerKey);
  }

  /** Tells calls when their streams end early: GOAWAY, connection loss. */
  private final class StreamEvents extends Http2ConnectionAdapter {
    @Override
    public void onGoAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) {
      endpoint.remove(H2UpstreamConnection.this);
      try {
        connection()
            .forEachActiveStream(
                s -> {
                  if (s.id() > lastStreamId) {
                    UpstreamListener l = detach(s);
                    if (l != null) {
                      l.onUpstreamFailed(
                          UpstreamFailure.of(
                              UpstreamFailure.Kind.STREAM_REFUSED, "refused by backend (GOAWAY)"));
                    }
                  }
                  return true;
                });
      } catch (Http2Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void onStreamClosed(Http2Stream stream) {
      UpstreamListener l = detach(stream);
      if (l != null) {
        l.onUpstreamFailed(
            ctx.channel().isActive()
                ? UpstreamFailure.of(UpstreamFailure.Kind.STREAM_RESET, "stream closed by backend")
                : UpstreamFailure.of(
                    UpstreamFailure.Kind.CONNECTION_LOST, "connection to backend lost"));
      }
      if (connection().goAwayReceived() && connection().numActiveStreams() == 0) {
        ctx.close();
      }
    }
  }

  /** Builds the handler the way Netty's codec wants: the frame listener set inside build. */
  private static final class Builder
      extends AbstractHttp2ConnectionHandlerBuilder<H2UpstreamConnection, Builder> {
    private final UpstreamEndpoint endpoint;

    Builder(UpstreamEndpoint endpoint) {
      this.endpoint = endpoint;
      connection(Http2Tuning.newConnection(false)); // its role: client
    }

    @Override
    protected H2UpstreamConnection build() {
      return super.build();
    }

    @Override
    protected H2UpstreamConnection build(
        Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
      H2UpstreamConnection c = new H2UpstreamConnection(decoder, encoder, settings, endpoint);
      frameListener(c.new Frames());
      return c;
    }

    @Override
    protected Builder initialSettings(Http2Settings settings) {
      return super.initialSettings(settings);
    }
  }
}
