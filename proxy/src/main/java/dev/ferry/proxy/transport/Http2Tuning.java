package dev.ferry.proxy.transport;

import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;

/**
 * The proxy's HTTP/2 flow-control windows, both towards clients and towards backends: large enough
 * for throughput on fast links, small enough that a stalled stream costs a bounded amount.
 */
public final class Http2Tuning {
  /** Per stream: what one stalled stream may hold in the proxy. */
  public static final int STREAM_WINDOW = 1 << 20;

  /** Per connection: shared by its streams. */
  public static final int CONNECTION_WINDOW = 16 << 20;

  /** Headers larger than this are refused (gRPC metadata can be big; Envoy allows 60 KiB). */
  public static final int MAX_HEADER_LIST_SIZE = 64 << 10;

  private Http2Tuning() {}

  /**
   * How a connection's HTTP/2 handler holds a frame that a read cut in two until the next read
   * completes it: as a composite of the two reads' buffers. Netty's default merges them, and a read
   * buffer cannot grow in place while the DATA frames forwarded from it are still being written
   * (they are slices of it): the leftover and the whole next read were copied into a new buffer,
   * too large to be pooled, so allocated and zeroed each time. On 1 MiB messages that was an eighth
   * of the proxy's CPU. A read that ends on a frame's end, as small calls' reads do, is decoded in
   * place either way.
   */
  public static final ByteToMessageDecoder.Cumulator CUMULATOR =
      ByteToMessageDecoder.COMPOSITE_CUMULATOR;

  /** The SETTINGS the proxy sends on every connection. */
  public static Http2Settings settings(boolean server) {
    Http2Settings s = new Http2Settings();
    s.initialWindowSize(STREAM_WINDOW);
    s.maxHeaderListSize(MAX_HEADER_LIST_SIZE);
    if (server) {
      s.maxConcurrentStreams(1024);
    } else {
      s.pushEnabled(false);
    }
    return s;
  }

  /**
   * A connection whose outbound DATA is shared out evenly between streams. The default weighted
   * fair queue keeps an RFC 7540 priority tree that the proxy never uses (clients' priorities are
   * not forwarded, and RFC 9113 deprecated them) and that profiles showed at about 5% of the CPU on
   * small calls: a tree node, a queue and events allocated and updated per stream.
   */
  public static Http2Connection newConnection(boolean server) {
    Http2Connection c = new DefaultHttp2Connection(server);
    c.remote()
        .flowController(
            new DefaultHttp2RemoteFlowController(c, new UniformStreamByteDistributor(c)));
    return c;
  }

  /** Raises the connection-level window above the protocol's 64 KiB default. */
  public static void openConnectionWindow(Http2ConnectionHandler handler) {
    try {
      handler
          .decoder()
          .flowController()
          .incrementWindowSize(
              handler.connection().connectionStream(),
              CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE);
    } catch (Http2Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
