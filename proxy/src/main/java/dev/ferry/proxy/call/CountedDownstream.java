package dev.ferry.proxy.call;

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
 * A client connection whose response bodies a call's record counts as they are written: for answers
 * the proxy composes itself (merged reflection), which pass no {@link ResponsePump}.
 */
final class CountedDownstream implements Downstream {
  private final Downstream down;
  private final CallRecord record;

  CountedDownstream(Downstream down, CallRecord record) {
    this.down = down;
    this.record = record;
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
    record.responseData(data);
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
