package dev.ferry.proxy.listener;

import dev.ferry.proxy.listener.RecentlyClosedStreams.History;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2LifecycleManager;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.logging.LogLevel;

/**
 * Answers a client's HEADERS on a stream that can no longer take them the way RFC 9113 asks, where
 * Netty's decoder answers otherwise: on a half-closed (remote) stream a stream error STREAM_CLOSED
 * (Netty's header-count check runs first and says PROTOCOL_ERROR); on a stream the client had ended
 * and that has since closed, a connection error STREAM_CLOSED (§5.1); on a stream id the client
 * skipped, lower than one it opened, a connection error PROTOCOL_ERROR (§5.1.1). Netty forgets
 * closed streams and answers both of the latter with a stream error STREAM_CLOSED.
 *
 * <p>It is a frame logger only by position: the inbound frame logger is the one place Netty offers
 * between HPACK decoding (which must happen, or the connection's header table goes astray) and the
 * decoder's own stream-state checks. It logs nothing.
 */
final class StreamStateGuard extends Http2FrameLogger {
  private final Http2Connection connection;
  private final RecentlyClosedStreams recentlyClosed = new RecentlyClosedStreams();
  private Http2LifecycleManager lifecycle;

  /** The stream of the RST_STREAM being read, which Netty closes right after this sees it. */
  private int resetReceived;

  StreamStateGuard(Http2Connection connection) {
    super(LogLevel.TRACE, StreamStateGuard.class);
    this.connection = connection;
    connection.addListener(
        new Http2ConnectionAdapter() {
          @Override
          public void onStreamClosed(Http2Stream stream) {
            if (connection.remote().created(stream)) {
              // Every way a stream closes other than a reset passes END_STREAM from the client.
              recentlyClosed.record(
                  stream.id(), stream.isResetSent() || stream.id() == resetReceived);
            }
          }
        });
  }

  /** The handler that resets streams; known only once the handler around this is built. */
  void resetsThrough(Http2LifecycleManager lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public boolean isEnabled() {
    return false;
  }

  @Override
  public void logRstStream(
      Direction direction, ChannelHandlerContext ctx, int streamId, long errorCode) {
    if (direction == Direction.INBOUND) {
      resetReceived = streamId;
    }
  }

  @Override
  public void logHeaders(
      Direction direction,
      ChannelHandlerContext ctx,
      int streamId,
      Http2Headers headers,
      int padding,
      boolean endStream) {
    if (direction == Direction.INBOUND) {
      headersRead(ctx, streamId);
    }
  }

  @Override
  public void logHeaders(
      Direction direction,
      ChannelHandlerContext ctx,
      int streamId,
      Http2Headers headers,
      int streamDependency,
      short weight,
      boolean exclusive,
      int padding,
      boolean endStream) {
    if (direction == Direction.INBOUND) {
      headersRead(ctx, streamId);
    }
  }

  private void headersRead(ChannelHandlerContext ctx, int streamId) {
    if (connection.goAwaySent()) {
      return; // shutting down: Netty ignores or refuses what comes now, as it should
    }
    Http2Stream stream = connection.stream(streamId);
    if (stream != null) {
      if (stream.state() == Http2Stream.State.HALF_CLOSED_REMOTE && !stream.isResetSent()) {
        // Reset before Netty's decoder sees the frame; it then ignores it, as for any stream
        // already reset.
        lifecycle.resetStream(ctx, streamId, Http2Error.STREAM_CLOSED.code(), ctx.newPromise());
      }
      return;
    }
    if (!connection.remote().mayHaveCreatedStream(streamId)) {
      return; // a new stream
    }
    History history = recentlyClosed.historyOf(streamId);
    if (history == History.ENDED) {
      throw refuse(
          Http2Error.STREAM_CLOSED,
          "HEADERS on stream " + streamId + ", which the client had ended and is closed");
    }
    if (history == History.NEVER_OPENED) {
      throw refuse(
          Http2Error.PROTOCOL_ERROR,
          "HEADERS on stream "
              + streamId
              + ", lower than stream "
              + connection.remote().lastStreamCreated()
              + " already opened");
    }
    // RESET or FORGOTTEN: Netty's stream error STREAM_CLOSED is the answer.
  }

  /**
   * A connection error for Netty to answer with GOAWAY. A logger may not throw Http2Exception, but
   * Netty finds one inside whatever it catches (Http2CodecUtil.getEmbeddedHttp2Exception), and an
   * unchecked exception also stops its frame reader, as a connection error should.
   */
  private static ConnectionRefused refuse(Http2Error error, String message) {
    return new ConnectionRefused(Http2Exception.connectionError(error, "%s", message));
  }

  /** Carries a connection error out of a method that cannot throw it; no stack trace. */
  private static final class ConnectionRefused extends RuntimeException {
    ConnectionRefused(Http2Exception cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }
}
