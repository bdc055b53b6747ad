package dev.ferry.proxy.call;

import dev.ferry.proxy.upstream.Upstream;
import dev.ferry.proxy.upstream.UpstreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A backend connection that keeps what the call sent it and lets the test answer. */
final class FakeUpstream implements Upstream {
  private final EmbeddedChannel channel;
  private final String name;
  final List<Http2Headers> opened = new ArrayList<>();
  final StringBuilder body = new StringBuilder();
  final List<Http2Headers> trailers = new ArrayList<>();
  final List<Http2Error> resets = new ArrayList<>();
  boolean full;
  boolean requestEnded;
  long consumed;
  UpstreamListener listener;
  private int nextId = 1;

  FakeUpstream(EmbeddedChannel channel, String name) {
    this.channel = channel;
    this.name = name;
  }

  @Override
  public int open(Http2Headers headers, boolean endStream, UpstreamListener l) {
    if (full) {
      return -1;
    }
    opened.add(headers);
    requestEnded = endStream;
    listener = l;
    int id = nextId;
    nextId += 2;
    return id;
  }

  @Override
  public void writeData(
      int streamId,
      ByteBuf data,
      boolean endStream,
      GenericFutureListener<? extends Future<? super Void>> onWritten) {
    body.append(data.toString(StandardCharsets.ISO_8859_1));
    data.release();
    requestEnded |= endStream;
    ChannelPromise p = channel.newPromise();
    p.addListener(onWritten);
    p.setSuccess();
  }

  @Override
  public void writeTrailers(int streamId, Http2Headers t) {
    trailers.add(t);
    requestEnded = true;
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
  public String endpointName() {
    return name;
  }
}
