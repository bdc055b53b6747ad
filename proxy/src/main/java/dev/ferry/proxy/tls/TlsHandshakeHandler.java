package dev.ferry.proxy.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the TLS handshake of a client connection: on success it records the client
 * certificate's subject, if any, and steps aside; on failure it closes the connection with one
 * DEBUG line (scanners and wrong CAs are everyday traffic on a public port).
 */
public final class TlsHandshakeHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TlsHandshakeHandler.class);

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      if (done.isSuccess()) {
        recordSubject(ctx);
        ctx.pipeline().remove(this);
      } else {
        log.debug("{} TLS handshake failed: {}", ctx.channel(), done.cause().toString());
        ctx.close();
      }
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Before the handshake completes every failure is the client's (bad record, wrong CA).
    log.debug("{} TLS: {}", ctx.channel(), cause.toString());
    ctx.close();
  }

  private static void recordSubject(ChannelHandlerContext ctx) {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return;
    }
    try {
      Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
        ctx.channel().attr(ClientIdentity.SUBJECT).set(leaf.getSubjectX500Principal().getName());
      }
    } catch (SSLPeerUnverifiedException e) {
      // No client certificate: allowed when it is optional.
    }
  }
}
