package dev.ferry.cli.call.transport;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
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

  /**
   * The channel of a one-shot call or of a script's calls, keeping the first bytes each TCP
   * connection receives in {@code received}, for the failure report; on an event loop of its own
   * kind (NIO), which {@link #stopEventLoops} stops. A socket file has nothing in between whose
   * bytes would explain a failure, so its bytes are not kept.
   */
  public static ManagedChannel open(
      Target target, TransportOptions options, Security security, ReceivedBytes received)
      throws IOException {
    if (target.isUnix()) {
      // On an event loop of ferry's own, as below, so that it can be stopped before exit.
      NettyChannelBuilder builder =
          NettyChannelBuilder.forAddress(
                  new DomainSocketAddress(target.socket().toAbsolutePath().toString()),
                  credentials(options, security))
              .eventLoopGroup(UNIX_LOOP.group())
              .channelType(EpollDomainSocketChannel.class);
      limit(builder, options);
      return builder.build();
    }
    return tcpBuilder(target, options, security)
        .eventLoopGroup(TCP_LOOP.group())
        .channelFactory(() -> new RecordingSocketChannel(received))
        .build();
  }

  /**
   * A channel on grpc-java's shared event loops, for load mode, which runs long and keeps them all
   * busy; {@code direct} runs call callbacks on the connection's event loop instead of a thread
   * pool and never retries: load mode's callbacks only record a number and start the next call.
   */
  public static ManagedChannel open(
      Target target, TransportOptions options, Security security, boolean direct)
      throws IOException {
    ManagedChannelBuilder<?> builder = builder(target, options, security);
    if (direct) {
      // Load mode makes each call once: grpc-java's retry bookkeeping was a tenth of its CPU.
      builder.directExecutor().disableRetry();
    }
    return builder.build();
  }

  private static ManagedChannelBuilder<?> builder(
      Target target, TransportOptions options, Security security) throws IOException {
    if (!target.isUnix()) {
      return tcpBuilder(target, options, security);
    }
    // gRPC's unix: target picks its Unix-socket provider: Netty's epoll domain sockets.
    ManagedChannelBuilder<?> builder =
        Grpc.newChannelBuilder(target.grpcTarget(), credentials(options, security));
    limit(builder, options);
    return builder;
  }

  private static NettyChannelBuilder tcpBuilder(
      Target target, TransportOptions options, Security security) throws IOException {
    NettyChannelBuilder builder =
        NettyChannelBuilder.forAddress(target.host(), target.port(), credentials(options, security))
            .withOption(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, options.connectTimeout.toMillis()));
    limit(builder, options);
    return builder;
  }

  private static void limit(ManagedChannelBuilder<?> builder, TransportOptions options) {
    // The call's own limit is set per call (--max-msg-size): reflection answers, which can be
    // large for a big schema, must not be held to it.
    builder.maxInboundMessageSize(64 << 20).maxInboundMetadataSize(1 << 20);
    if (options.authority != null) {
      builder.overrideAuthority(options.authority);
    }
  }

  // The recording channels' loop (grpc-java takes a channel type only with a group of its kind),
  // and that of one-shot calls to a Unix socket (Netty's epoll transport has domain sockets).
  private static final CallLoop TCP_LOOP = new CallLoop("ferry-call", NioIoHandler::newFactory);
  private static final CallLoop UNIX_LOOP =
      new CallLoop("ferry-call-unix", EpollIoHandler::newFactory);

  /** The one-shot call's event loop (NIO), for channels of ferry's own: stopped by the next. */
  public static EventLoopGroup callLoop() {
    return TCP_LOOP.group();
  }

  /** Stops the one-shot calls' event loops, for the call command's end: see {@link CallLoop}. */
  public static void stopEventLoops() {
    TCP_LOOP.stop();
    UNIX_LOOP.stop();
  }

  /**
   * The TLS of a channel of ferry's own (the web protocols' HTTP/1.1), from the same options as
   * grpc-java's; null for plaintext.
   */
  public static SslContext webTls(TransportOptions options, Security security) throws IOException {
    if (!security.tls()) {
      return null;
    }
    requireFile("--cacert", options.caCert);
    requireFile("--cert", options.cert);
    requireFile("--key", options.key);
    try {
      SslContextBuilder tls = SslContextBuilder.forClient();
      if (options.insecure) {
        tls.trustManager(new TrustEverything());
      } else if (options.caCert != null) {
        tls.trustManager(options.caCert.toFile());
      }
      if (options.cert != null) {
        tls.keyManager(options.cert.toFile(), options.key.toFile());
      }
      return tls.build();
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException("cannot read the TLS files: " + e.getMessage(), e);
    }
  }

  private static ChannelCredentials credentials(TransportOptions options, Security security)
      throws IOException {
    if (!security.tls()) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
    requireFile("--cacert", options.caCert);
    requireFile("--cert", options.cert);
    requireFile("--key", options.key);
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
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException("cannot read the TLS files: " + e.getMessage(), e);
    }
    return tls.build();
  }

  private static void requireFile(String option, java.nio.file.Path file) throws IOException {
    if (file != null && !java.nio.file.Files.isRegularFile(file)) {
      throw new IOException(
          option
              + " "
              + file
              + (java.nio.file.Files.isDirectory(file) ? ": is a directory" : ": no such file"));
    }
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
