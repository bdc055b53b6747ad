package dev.ferry.cli.call.transport;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.NoSuchFileException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/** Opens the grpc-java channel to a target as the {@link TransportOptions} say. */
public final class ChannelFactory {
  private ChannelFactory() {}

  /** How the connection was secured, and whether ferry found that out itself. */
  public record Security(boolean tls, boolean detected) {
    public String describe() {
      return (tls ? "TLS" : "plaintext (h2c)") + (detected ? ", detected" : "");
    }
  }

  /** Decides between TLS and plaintext: by the flags, else by probing the target. */
  public static Security choose(Target target, TransportOptions options) throws IOException {
    target.checkSocket();
    if (options.plaintext) {
      return new Security(false, false);
    }
    if (options.tlsRequested()) {
      return new Security(true, false);
    }
    if (target.isUnix()) {
      // Services on a local socket speak plaintext; the probe, which times a TCP exchange, is not
      // for them. A TLS flag still asks for TLS.
      return new Security(false, false);
    }
    return new Security(
        TlsProbe.probe(target, options.connectTimeout) == TlsProbe.Result.TLS, true);
  }

  public static ManagedChannel open(Target target, TransportOptions options, Security security)
      throws IOException {
    return open(target, options, security, false);
  }

  /**
   * As above; {@code direct} runs call callbacks on the connection's event loop instead of a thread
   * pool and never retries, for load mode, whose callbacks only record a number and start the next
   * call.
   */
  public static ManagedChannel open(
      Target target, TransportOptions options, Security security, boolean direct)
      throws IOException {
    ManagedChannelBuilder<?> builder =
        target.isUnix()
            // gRPC's unix: target picks its Unix-socket provider: Netty's epoll domain sockets.
            ? Grpc.newChannelBuilder(target.grpcTarget(), credentials(options, security))
            : NettyChannelBuilder.forAddress(
                    target.host(), target.port(), credentials(options, security))
                .withOption(
                    ChannelOption.CONNECT_TIMEOUT_MILLIS,
                    (int) Math.min(Integer.MAX_VALUE, options.connectTimeout.toMillis()));
    // The call's own limit is set per call (--max-msg-size): reflection answers, which can be
    // large for a big schema, must not be held to it.
    builder.maxInboundMessageSize(64 << 20).maxInboundMetadataSize(1 << 20);
    if (direct) {
      // Load mode makes each call once: grpc-java's retry bookkeeping was a tenth of its CPU.
      builder.directExecutor().disableRetry();
    }
    if (options.authority != null) {
      builder.overrideAuthority(options.authority);
    }
    return builder.build();
  }

  private static ChannelCredentials credentials(TransportOptions options, Security security)
      throws IOException {
    if (!security.tls()) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
    try {
      if (options.insecure) {
        tls.trustManager(new TrustManager[] {new TrustEverything()});
      } else if (options.caCert != null) {
        tls.trustManager(options.caCert.toFile());
      }
      if (options.cert != null) {
        tls.keyManager(options.cert.toFile(), options.key.toFile());
      }
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new IOException("no such file: " + e.getMessage(), e);
    }
    return tls.build();
  }

  /**
   * --insecure: accepts any certificate and any host name. An extended trust manager, so the JDK
   * does not wrap it with a host name check of its own.
   */
  private static final class TrustEverything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
