package dev.ferry.proxy.trace;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * TLS on either side of the tap. The tap terminates TLS from clients and opens its own TLS to the
 * upstream, so what it parses between the two is plaintext HTTP/2.
 *
 * @param towardsClients the server context clients handshake with, or {@code null} for plaintext
 * @param towardsUpstream the client context for the upstream, or {@code null} for plaintext
 */
public record TapTls(SslContext towardsClients, SslContext towardsUpstream) {
  /** Both protocols a gRPC or REST client may ask for, h2 first. */
  private static final ApplicationProtocolConfig ALPN =
      new ApplicationProtocolConfig(
          ApplicationProtocolConfig.Protocol.ALPN,
          ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
          ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
          ApplicationProtocolNames.HTTP_2,
          ApplicationProtocolNames.HTTP_1_1);

  public static TapTls none() {
    return new TapTls(null, null);
  }

  /** A context that serves the PEM certificate chain and PEM private key to clients. */
  public static SslContext serverContext(Path certChain, Path privateKey) throws SSLException {
    return SslContextBuilder.forServer(certChain.toFile(), privateKey.toFile())
        .applicationProtocolConfig(ALPN)
        .build();
  }

  /**
   * A context that verifies the upstream against the PEM CA certificates in {@code trustedCas}, or
   * against the JDK's trusted CAs when it is {@code null}.
   */
  public static SslContext upstreamContext(Path trustedCas) throws SSLException {
    SslContextBuilder b = SslContextBuilder.forClient().applicationProtocolConfig(ALPN);
    if (trustedCas != null) {
      File cas = trustedCas.toFile();
      b.trustManager(cas);
    }
    return b.build();
  }

  /** A handler for the upstream connection that also checks the upstream's name. */
  SslHandler upstreamHandler(ByteBufAllocator alloc, InetSocketAddress upstream) {
    SslHandler handler =
        towardsUpstream.newHandler(alloc, upstream.getHostString(), upstream.getPort());
    SSLEngine engine = handler.engine();
    SSLParameters params = engine.getSSLParameters();
    // Netty does not check the name by default; a tap must not be an easy man in the middle.
    params.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(params);
    return handler;
  }
}
