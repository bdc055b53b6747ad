package dev.ferry.proxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;

/** A connection to one endpoint that carries calls as streams; used only on its event loop. */
public interface Upstream {
  /**
   * Opens a stream sending {@code headers}; returns its id, or -1 when the connection cannot take
   * another stream now.
   */
  int open(Http2Headers headers, boolean endStream, UpstreamListener listener);

  /** Sends a piece of the request body; {@code onWritten} runs once it left (or failed). */
  void writeData(
      int streamId,
      ByteBuf data,
      boolean endStream,
      GenericFutureListener<? extends Future<? super Void>> onWritten);

  /** Sends request trailers, ending the request. */
  void writeTrailers(int streamId, Http2Headers trailers);

  /** Acknowledges {@code bytes} of response body: the backend may send that much more. */
  void consume(int streamId, int bytes);

  /** Resets the stream; its listener hears nothing more. */
  void reset(int streamId, Http2Error error);

  /** The endpoint's name for logs and messages: {@code 127.0.0.1:50052}. */
  String endpointName();
}
