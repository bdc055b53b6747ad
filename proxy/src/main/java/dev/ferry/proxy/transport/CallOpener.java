package dev.ferry.proxy.transport;

import io.netty.handler.codec.http2.Http2Headers;

/** What opens the gRPC call a bridged request (gRPC-Web, Connect) becomes. */
@FunctionalInterface
public interface CallOpener {
  /** The handler of the gRPC call on stream {@code streamId}, answering through {@code down}. */
  StreamHandler open(Downstream down, int streamId, Http2Headers request, boolean endStream);
}
