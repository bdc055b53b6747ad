package dev.ferry.proxy.call;

import dev.ferry.proxy.transport.Downstream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client connection for one call, on an {@link EmbeddedChannel}'s loop: it keeps what the call
 * wrote, and takes response DATA at once unless told to hold it (a slow client).
 */
final class FakeDownstream implements Downstream {
  private final EmbeddedChannel channel;
  final List<Http2Headers> headers = new ArrayList<>();
  final List<Boolean> headerEnds = new ArrayList<>();
  final StringBuilder body = new StringBuilder();
  final List<Http2Error> resets = new ArrayList<>();
  final List<ChannelPromise> heldWrites = new ArrayList<>();
  boolean ended;
  boolean holdWrites;
  long consumed;

  FakeDownstream(EmbeddedChannel channel) {
    this.channel = channel;
  }

  @Override
  public void writeHeaders(int streamId, Http2Headers h, boolean endStream) {
    headers.add(h);
    headerEnds.add(endStream);
    ended |= endStream;
  }

  @Override
  public void writeData(
      int streamId,
      ByteBuf data,
      boolean endStream,
      GenericFutureListener<? extends Future<? super Void>> onWritten) {
    body.append(data.toString(StandardCharsets.ISO_8859_1));
    data.release();
    ended |= endStream;
    ChannelPromise p = channel.newPromise();
    p.addListener(onWritten);
    if (holdWrites) {
      heldWrites.add(p);
    } else {
      p.setSuccess();
    }
  }

  /** The slow client finally reads what it was sent. */
  void takeHeldWrites() {
    for (ChannelPromise p : heldWrites) {
      p.setSuccess();
    }
    heldWrites.clear();
  }

  @Override
  public void consume(int streamId, int bytes) {
    consumed += bytes;
  }

  @Override
  public void reset(int streamId, Http2Error error) {
    resets.add(error);
  }

  @Override
  public EventLoop eventLoop() {
    return channel.eventLoop();
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return new InetSocketAddress("127.0.0.1", 40000);
  }

  @Override
  public String clientIp() {
    return "127.0.0.1";
  }

  @Override
  public String protocol() {
    return "HTTP/2";
  }

  /** The last header block the client got. */
  Http2Headers last() {
    return headers.get(headers.size() - 1);
  }
}
