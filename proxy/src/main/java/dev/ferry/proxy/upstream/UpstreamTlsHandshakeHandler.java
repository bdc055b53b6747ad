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
  private final Consumer<String> onFailure;

  UpstreamTlsHandshakeHandler(String endpoint, Consumer<String> onFailure) {
    this.endpoint = endpoint;
    this.onFailure = onFailure;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      if (done.isSuccess()) {
        ctx.pipeline().remove(this);
      } else {
        onFailure.accept("TLS handshake with " + endpoint + " failed: " + reason(done.cause()));
      }
    }
    ctx.fireUserEventTriggered(evt);
  }

  private static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
