package dev.ferry.proxy.tls;

import dev.ferry.proxy.connectionlog.ConnectionEvent;
import dev.ferry.proxy.connectionlog.ConnectionLog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Waits for the TLS handshake of a client connection: on success it records the client
 * certificate's subject, if any, and steps aside; on failure it closes the connection with one line
 * in the connection log naming the cause (rate-limited there: scanners and wrong CAs are everyday
 * traffic on a public port).
 */
public final class TlsHandshakeHandler extends ChannelInboundHandlerAdapter {
  private final boolean clientCertRequired;

  /**
   * @param clientCertRequired whether the listener refuses clients without a certificate
   */
  TlsHandshakeHandler(boolean clientCertRequired) {
    this.clientCertRequired = clientCertRequired;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      if (done.isSuccess()) {
        recordSubject(ctx);
        ctx.pipeline().remove(this);
      } else {
        failed(ctx, done.cause());
      }
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Before the handshake completes every failure is the client's (bad record, wrong CA).
    failed(ctx, cause);
  }

  private void failed(ChannelHandlerContext ctx, Throwable cause) {
    ConnectionLog.report(
        ctx.channel(),
        HandshakeFailures.abandoned(cause)
            ? ConnectionEvent.TLS_HANDSHAKE_ABANDONED
            : ConnectionEvent.TLS_HANDSHAKE_FAILED,
        HandshakeFailures.describe(cause, clientCertRequired));
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
