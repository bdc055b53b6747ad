package dev.ferry.proxy.tls;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The verified client certificate's subject of a mutual-TLS connection, kept on the channel for
 * routes, access control and the access log.
 */
public final class ClientIdentity {
  static final AttributeKey<String> SUBJECT = AttributeKey.valueOf("ferry.tls.clientSubject");

  private ClientIdentity() {}

  /**
   * The subject as RFC 2253 text ({@code CN=billing,O=Example}), or {@code null} when the
   * connection is plain or the client sent no certificate.
   */
  public static String subject(Channel ch) {
    return ch.hasAttr(SUBJECT) ? ch.attr(SUBJECT).get() : null;
  }
}
