package dev.ferry.cli.call.web;

import dev.ferry.cli.call.transport.ChannelFactory;
import dev.ferry.cli.call.transport.Target;
import dev.ferry.cli.call.transport.TransportOptions;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;

/**
 * A channel whose calls speak gRPC-Web or Connect over HTTP/1.1, one connection per call, on the
 * one-shot call's event loop. It takes what grpc-java's channel takes (target, TLS, authority,
 * deadline, metadata), so the rest of {@code ferry call} cannot tell the two apart.
 */
public final class WebChannel extends Channel {
  final CallProtocol protocol;
  final Target target;
  final String authority;
  final SslContext tls; // null for plaintext
  final boolean verifyHostname;
  final int connectTimeoutMillis;
  final EventLoopGroup loop;

  private WebChannel(
      CallProtocol protocol,
      Target target,
      String authority,
      SslContext tls,
      boolean verifyHostname,
      int connectTimeoutMillis,
      EventLoopGroup loop) {
    this.protocol = protocol;
    this.target = target;
    this.authority = authority;
    this.tls = tls;
    this.verifyHostname = verifyHostname;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.loop = loop;
  }

  /** A channel to {@code target} (host:port) speaking {@code protocol}, secured as chosen. */
  public static WebChannel open(
      CallProtocol protocol,
      Target target,
      TransportOptions options,
      ChannelFactory.Security security)
      throws IOException {
    String authority = options.authority() != null ? options.authority() : target.toString();
    return new WebChannel(
        protocol,
        target,
        authority,
        ChannelFactory.webTls(options, security),
        !options.insecure(),
        (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()),
        ChannelFactory.callLoop());
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    return new WebCall<>(this, method, options);
  }

  @Override
  public String authority() {
    return authority;
  }

  /** How the calls travel, for the first line of -v. */
  public String describe() {
    return protocol + " over HTTP/1.1" + (tls == null ? "" : " and TLS");
  }
}
