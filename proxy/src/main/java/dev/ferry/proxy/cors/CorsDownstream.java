package dev.ferry.proxy.cors;

import dev.ferry.proxy.status.CallProtocol;
import dev.ferry.proxy.transport.Downstream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.net.SocketAddress;

/**
 * The client of a call from an allowed origin: the first header block of the answer (backend's or
 * ferry's own) gets the CORS headers, so the page may read it; the rest passes unchanged.
 */
public final class CorsDownstream implements Downstream {
  private final Downstream down;
  private final CorsPolicy policy;
  private final CharSequence origin;
  private boolean headersSent;

  /** Answers {@code origin}'s call through {@code down}. */
  public CorsDownstream(Downstream down, CorsPolicy policy, CharSequence origin) {
    this.down = down;
    this.policy = policy;
    this.origin = origin;
  }

  @Override
  public void writeHeaders(int streamId, Http2Headers headers, boolean endStream) {
    if (!headersSent) {
      headersSent = true;
      policy.addActual(headers, origin);
    }
    down.writeHeaders(streamId, headers, endStream);
  }

  @Override
  public void writeData(
      int streamId,
      ByteBuf data,
      boolean endStream,
      GenericFutureListener<? extends Future<? super Void>> onWritten) {
    down.writeData(streamId, data, endStream, onWritten);
  }

  @Override
  public void consume(int streamId, int bytes) {
    down.consume(streamId, bytes);
  }

  @Override
  public void reset(int streamId, Http2Error error) {
    down.reset(streamId, error);
  }

  @Override
  public EventLoop eventLoop() {
    return down.eventLoop();
  }

  @Override
  public SocketAddress remoteAddress() {
    return down.remoteAddress();
  }

  @Override
  public String clientIp() {
    return down.clientIp();
  }

  @Override
  public String protocol() {
    return down.protocol();
  }

  @Override
  public String clientSubject() {
    return down.clientSubject();
  }

  @Override
  public CallProtocol bridgedFrom() {
    return down.bridgedFrom();
  }
}
