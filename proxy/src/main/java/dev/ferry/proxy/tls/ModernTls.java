package dev.ferry.proxy.tls;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;

/**
 * The TLS every ferry connection speaks, in and out: TLS 1.3 and 1.2 only, AEAD cipher suites with
 * forward secrecy (the HTTP/2 profile of RFC 7540 9.2), BoringSSL where it loads, else the JDK.
 */
public final class ModernTls {
  /** The protocols offered; TLS 1.0 and 1.1 are deprecated by RFC 8996. */
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private ModernTls() {}

  /** BoringSSL (netty-tcnative) when its native library loads on this platform, else the JDK. */
  public static SslProvider provider() {
    return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  /** {@code BoringSSL} or {@code JDK}, for the start-up log. */
  public static String providerName() {
    return OpenSsl.isAvailable() ? OpenSsl.versionString() : "JDK " + Runtime.version().feature();
  }

  /**
   * Applies provider, protocols, ciphers and ALPN with {@code protocols} in order of preference.
   */
  static SslContextBuilder apply(SslContextBuilder b, String... alpn) {
    b.sslProvider(provider())
        .protocols(PROTOCOLS)
        .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
    if (alpn.length > 0) {
      b.applicationProtocolConfig(
          new ApplicationProtocolConfig(
              ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
              alpn));
    }
    return b;
  }

  /** What a listener offers: gRPC and REST on one port. */
  static final String[] SERVER_ALPN = {
    ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1
  };
}
