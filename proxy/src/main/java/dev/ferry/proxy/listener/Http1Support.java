package dev.ferry.proxy.listener;

import dev.ferry.proxy.call.Worker;
import dev.ferry.proxy.config.ListenerLimits;
import dev.ferry.proxy.limits.FirstRequestWatcher;
import dev.ferry.proxy.limits.HeaderReadTimeoutHandler;
import dev.ferry.proxy.route.RouteTable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.util.AsciiString;

/**
 * The HTTP/1.1 side of the listener: the codec, the h2c Upgrade (RFC 7540 3.2) that turns the
 * connection into HTTP/2, and the handler proxying plain HTTP/1.1 requests.
 */
final class Http1Support {
  /** The pipeline name of the HTTP/1.1 handler, removed when the connection upgrades. */
  static final String HANDLER_NAME = "ferry-http1";

  /** The largest request body an h2c Upgrade request may carry (it is buffered whole). */
  static final int MAX_UPGRADE_BODY = 1 << 20;

  private Http1Support() {}

  static void install(
      ChannelHandlerContext ctx, Worker worker, RouteTable routes, ListenerLimits limits) {
    HttpServerCodec codec = new HttpServerCodec(8192, 64 << 10, 64 << 10);
    HttpServerUpgradeHandler upgrade =
        new HttpServerUpgradeHandler(
            codec,
            protocol ->
                AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                    ? new Http2ServerUpgradeCodec(
                        DownstreamHttp2Handler.create(worker, routes, limits))
                    : null,
            MAX_UPGRADE_BODY);
    ChannelPipeline p = ctx.pipeline();
    p.addAfter(ctx.name(), "ferry-http1-codec", codec);
    p.addAfter("ferry-http1-codec", "ferry-h2c-upgrade", upgrade);
    if (p.get(HeaderReadTimeoutHandler.class) != null) {
      // Before the upgrade handler, which swallows an h2c Upgrade request.
      p.addAfter("ferry-http1-codec", null, new FirstRequestWatcher());
    }
    p.addAfter("ferry-h2c-upgrade", HANDLER_NAME, new Http1DownstreamHandler(worker, routes));
  }
}
