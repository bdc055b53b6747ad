package dev.ferry.proxy.transport;

import dev.ferry.proxy.status.CallProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.net.SocketAddress;

/**
 * A {@link Downstream} that passes everything to another: the base of the wrappers that change one
 * thing on a call's way out (a bridge's framing, CORS headers, byte counting), so that each says
 * only what it changes.
 */
public abstract class ForwardingDownstream implements Downstream {
  protected final Downstream down;

  protected ForwardingDownstream(Downstream down) {
    this.down = down;
  }

  @Override
  public void writeHeaders(int streamId, Http2Headers headers, boolean endStream) {
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
  public int clientStatus(int callStatus) {
    return down.clientStatus(callStatus);
  }

  @Override
  public CallProtocol bridgedFrom() {
    return down.bridgedFrom();
  }
}
