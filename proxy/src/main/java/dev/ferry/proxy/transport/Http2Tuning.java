package dev.ferry.proxy.transport;

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
