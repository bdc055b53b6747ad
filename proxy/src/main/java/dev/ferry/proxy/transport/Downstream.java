package dev.ferry.proxy.transport;

import dev.ferry.proxy.status.CallProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.net.SocketAddress;

/** The client's side of calls: one client connection, its streams addressed by id. */
public interface Downstream {
  /** Sends response headers or trailers on stream {@code streamId}. */
  void writeHeaders(int streamId, Http2Headers headers, boolean endStream);

  /** Sends a piece of response body; {@code onWritten} runs once it left (or failed). */
  void writeData(
      int streamId,
      ByteBuf data,
      boolean endStream,
      GenericFutureListener<? extends Future<? super Void>> onWritten);

  /** Acknowledges {@code bytes} of request body: the client may send that much more. */
  void consume(int streamId, int bytes);

  /** Resets the stream. */
  void reset(int streamId, Http2Error error);

  EventLoop eventLoop();

  /**
   * The client's address: an {@code InetSocketAddress}, or for a client of a Unix socket listener
   * Netty's {@code DomainSocketAddress} (the client's socket, usually unnamed); {@code null} once
   * the connection is gone.
   */
  SocketAddress remoteAddress();

  /** The client's IP address as text, for {@code x-forwarded-for}; computed once per connection. */
  String clientIp();

  /** {@code HTTP/2} or {@code HTTP/1.1}, for the access log. */
  String protocol();

  /**
   * The subject of the client's verified TLS certificate (RFC 2253, {@code CN=billing,O=Example}),
   * or {@code null} without mutual TLS.
   */
  default String clientSubject() {
    return null;
  }

  /**
   * The HTTP status the client got for a call that answered with {@code callStatus}: the same,
   * unless a bridge answers in a way of its own (Connect's errors carry their own status), for the
   * access log.
   */
  default int clientStatus(int callStatus) {
    return callStatus;
  }

  /**
   * The protocol a bridge translated this client's calls from ({@code grpc-web}, ...), or {@code
   * null} when the client speaks gRPC or HTTP itself.
   */
  default CallProtocol bridgedFrom() {
    return null;
  }
}
