package dev.ferry.proxy.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;

/**
 * One piece of body the proxy sends on an HTTP/2 stream, waiting in Netty's remote flow controller
 * until the peer's window lets it out as DATA frames; whoever handed it over hears once, when its
 * last byte was written or when it failed.
 *
 * <p>It takes the place of the codec's own (what {@code DefaultHttp2ConnectionEncoder.writeData}
 * queues), which wraps every write in a coalescing queue with a second promise to aggregate them,
 * so that writes queued behind a closed window can merge into one frame: 602 bytes allocated per
 * DATA frame against 377 here (bench/jmh's DataWriteBenchmark), on a path a proxied call takes once
 * per direction for each 16 KiB frame of its bodies. The proxy forwards the frames it reads as they
 * come, so each piece stays a frame of its own (split where the window is smaller), as it would
 * through a proxy that does not buffer. What the codec checks and does around the frame is the
 * same: the stream must be open for sending, a failed write is the connection's error, and the
 * write that ends the stream closes its sending side. A frame of a small message is laid out here,
 * in one buffer; larger ones go through the codec's frame writer.
 */
public final class DataWrite
    implements Http2RemoteFlowController.FlowControlled, ChannelFutureListener {
  /** Payloads up to this size are copied into their frame's buffer (see frameWithCopy). */
  static final int COPIED_PAYLOAD = 1024;

  private final Http2ConnectionHandler connection;
  private final Http2Stream stream;
  private final boolean endOfStream;
  private GenericFutureListener<Future<? super Void>> onWritten; // null once told
  private ByteBuf unwritten; // null once handed to the frame writer in full, or released on error
  // What the flow controller counts as still to send: kept through an error, as Netty's codec
  // does, because the controller takes the size off its pending bytes after error() has run.
  private int size;
  private ChannelFuture lastWrite; // the write that carried the last byte, or the failure

  private DataWrite(
      Http2ConnectionHandler connection,
      Http2Stream stream,
      ByteBuf data,
      boolean endOfStream,
      GenericFutureListener<Future<? super Void>> onWritten) {
    this.connection = connection;
    this.stream = stream;
    this.endOfStream = endOfStream;
    this.onWritten = onWritten;
    this.unwritten = data;
    this.size = data.readableBytes();
  }

  /**
   * Queues {@code data} (which this takes ownership of) on stream {@code streamId} of {@code
   * connection}; {@code onWritten} runs once, when its last byte was written or when it failed. The
   * caller flushes.
   */
  @SuppressWarnings("unchecked")
  public static void send(
      Http2ConnectionHandler connection,
      ChannelHandlerContext ctx,
      int streamId,
      ByteBuf data,
      boolean endStream,
      GenericFutureListener<? extends Future<? super Void>> onWritten) {
    // Netty calls its listeners through this same unchecked cast.
    GenericFutureListener<Future<? super Void>> listener =
        (GenericFutureListener<Future<? super Void>>) onWritten;
    Http2Stream stream = connection.connection().stream(streamId);
    if (stream == null || !canSend(stream.state())) {
      data.release();
      String state = stream == null ? "gone" : "in state " + stream.state();
      ctx.newPromise()
          .addListener(listener)
          .setFailure(new IllegalStateException("stream " + streamId + " " + state));
      return;
    }
    connection
        .encoder()
        .flowController()
        .addFlowControlled(stream, new DataWrite(connection, stream, data, endStream, listener));
  }

  /** RFC 9113 5.1: DATA may be sent on an open stream, or one the peer has half-closed. */
  private static boolean canSend(Http2Stream.State state) {
    return state == Http2Stream.State.OPEN || state == Http2Stream.State.HALF_CLOSED_REMOTE;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public void write(ChannelHandlerContext ctx, int allowedBytes) {
    if (unwritten == null) {
      size = 0; // failed before all of it left: nothing more to send, the controller drops it
      return;
    }
    if (size > 0 && allowedBytes <= 0) {
      return;
    }
    ChannelPromise written = ctx.newPromise().addListener(this);
    if (size == 0 && !endOfStream) {
      // An empty piece that does not end the stream is no frame at all; it goes through the
      // channel anyway so that its listener hears in the order of the writes.
      lastWrite = written;
      ByteBuf empty = unwritten;
      unwritten = null;
      ctx.write(empty, written);
      return;
    }
    ByteBuf frame;
    if (allowedBytes >= size) {
      frame = unwritten;
      unwritten = null;
      lastWrite = written;
    } else {
      frame = unwritten.readRetainedSlice(allowedBytes);
    }
    size -= frame.readableBytes();
    boolean endStream = endOfStream && unwritten == null;
    if (frame.readableBytes() <= COPIED_PAYLOAD) {
      ctx.write(frameWithCopy(ctx, frame, endStream), written);
    } else {
      connection.encoder().frameWriter().writeData(ctx, stream.id(), frame, 0, endStream, written);
    }
  }

  /**
   * A DATA frame in one buffer: the 9-byte frame header (RFC 9113 4.1, 6.1), then a copy of {@code
   * payload}, which this releases. Netty's frame writer sends the header and the payload as two
   * writes (two buffers in the channel's queue, two iovecs, a slice) under a promise that
   * aggregates them: for a small message those cost more than the copy (DataWriteBenchmark in
   * bench/jmh; 216 bytes less allocated per proxied unary call). No padding, as the codec's writes
   * from the proxy have none; no split, as {@link #COPIED_PAYLOAD} is below the smallest frame size
   * a peer may allow (16,384 bytes, RFC 9113 4.2).
   */
  private ByteBuf frameWithCopy(ChannelHandlerContext ctx, ByteBuf payload, boolean endStream) {
    try {
      int length = payload.readableBytes();
      ByteBuf frame = ctx.alloc().buffer(Http2CodecUtil.FRAME_HEADER_LENGTH + length);
      frame.writeMedium(length);
      frame.writeByte(Http2FrameTypes.DATA);
      frame.writeByte(endStream ? Http2Flags.END_STREAM : 0);
      frame.writeInt(stream.id());
      // Read out of the payload rather than written into the frame: the frame's writeBytes(ByteBuf)
      // goes through two NIO buffer views, allocated per copy, unless both buffers come from the
      // same pooling allocator; the payload's getBytes copies memory to memory.
      payload.getBytes(payload.readerIndex(), frame, frame.writerIndex(), length);
      frame.writerIndex(frame.writerIndex() + length);
      return frame;
    } finally {
      payload.release();
    }
  }

  @Override
  public void writeComplete() {
    if (endOfStream) {
      connection.closeStreamLocal(stream, lastWrite);
    }
  }

  /** A frame's write ended: the last one tells the sender; a failure is the connection's error. */
  @Override
  public void operationComplete(ChannelFuture future) throws Exception {
    if (!future.isSuccess()) {
      error(connection.encoder().flowController().channelHandlerContext(), future.cause());
    } else if (future == lastWrite && onWritten != null) {
      GenericFutureListener<Future<? super Void>> l = onWritten;
      onWritten = null;
      l.operationComplete(future);
    }
  }

  /** The stream or the connection failed before all of it was written (or as it was). */
  @Override
  public void error(ChannelHandlerContext ctx, Throwable cause) {
    if (unwritten != null) {
      unwritten.release();
      unwritten = null;
    }
    ChannelFuture failed = ctx.newFailedFuture(cause);
    if (lastWrite == null) {
      // Its last byte never left: the flow controller may still drop it with writeComplete(),
      // and the stream's end, if this piece carried it, is then this failure.
      lastWrite = failed;
    }
    if (onWritten != null) {
      GenericFutureListener<Future<? super Void>> l = onWritten;
      onWritten = null;
      failed.addListener(l);
    }
    connection.onError(ctx, true, cause);
  }

  /** Each piece stays a frame of its own (see the class comment). */
  @Override
  public boolean merge(ChannelHandlerContext ctx, Http2RemoteFlowController.FlowControlled next) {
    return false;
  }
}
