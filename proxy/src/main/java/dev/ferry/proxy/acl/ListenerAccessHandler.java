package dev.ferry.proxy.acl;

import dev.ferry.proxy.tls.ClientIdentity;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener's access rules, applied like a firewall: a refused address is closed as it connects,
 * before any byte is read or a TLS handshake spent on it; a refused certificate subject right after
 * the handshake. Refusals are logged at DEBUG: on a public port they are routine.
 */
public final class ListenerAccessHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ListenerAccessHandler.class);

  private final AccessRules rules;
  private final boolean afterHandshake;

  /**
   * @param afterHandshake false for the instance in front of everything, which checks the address;
   *     true for the one behind the TLS handshake, which checks the certificate subject
   */
  public ListenerAccessHandler(AccessRules rules, boolean afterHandshake) {
    this.rules = rules;
    this.afterHandshake = afterHandshake;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (!afterHandshake) {
      String refusal = rules.refusal(ipOf(ctx), null);
      // The subject is not known yet: only the address part can refuse now.
      if (refusal != null && !refusal.startsWith("a client certificate")) {
        log.debug("{} refused: {}", ctx.channel(), refusal);
        ctx.close();
        return;
      }
      ctx.pipeline().remove(this);
    }
    super.channelActive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (afterHandshake && evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
      String refusal = rules.refusal(ipOf(ctx), ClientIdentity.subject(ctx.channel()));
      if (refusal != null) {
        log.debug("{} refused: {}", ctx.channel(), refusal);
        ctx.close();
        return;
      }
      ctx.pipeline().remove(this);
    }
    super.userEventTriggered(ctx, evt);
  }

  /** The client's IP address; {@code null} for a client of a Unix socket, which has none. */
  private static InetAddress ipOf(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
  }
}
