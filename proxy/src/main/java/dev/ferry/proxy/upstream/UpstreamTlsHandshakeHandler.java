package dev.ferry.proxy.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.function.Consumer;

/**
 * Turns a failed TLS handshake with a backend into a connect failure that says why (wrong CA, wrong
 * name, expired), so the calls waiting on it get that reason in their UNAVAILABLE status.
 */
final class UpstreamTlsHandshakeHandler extends ChannelInboundHandlerAdapter {
  private final String endpoint;
  private final Consumer<UpstreamFailure> onFailure;

  UpstreamTlsHandshakeHandler(String endpoint, Consumer<UpstreamFailure> onFailure) {
    this.endpoint = endpoint;
    this.onFailure = onFailure;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      if (done.isSuccess()) {
        ctx.pipeline().remove(this);
      } else {
        onFailure.accept(
            new UpstreamFailure(
                UpstreamFailure.Kind.TLS_HANDSHAKE,
                "TLS handshake with "
                    + endpoint
                    + " failed: "
                    + UpstreamFailure.rootMessage(done.cause()),
                done.cause()));
      }
    }
    ctx.fireUserEventTriggered(evt);
  }
}
