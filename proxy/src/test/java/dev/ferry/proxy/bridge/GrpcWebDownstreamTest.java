package dev.ferry.proxy.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.status.CallProtocol;
import dev.ferry.proxy.transport.Downstream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The answer of a gRPC call as the gRPC-Web client gets it. */
class GrpcWebDownstreamTest {
  /** Keeps what the client would be sent. */
  private static final class Recording implements Downstream {
    final List<Http2Headers> headers = new ArrayList<>();
    final List<ByteBuf> data = new ArrayList<>();

    @Override
    public void writeHeaders(int streamId, Http2Headers h, boolean endStream) {
      headers.add(h);
    }

    @Override
    public void writeData(
        int streamId,
        ByteBuf d,
        boolean endStream,
        GenericFutureListener<? extends Future<? super Void>> onWritten) {
      data.add(d);
    }

    @Override
    public void consume(int streamId, int bytes) {}

    @Override
    public void reset(int streamId, Http2Error error) {}

    @Override
    public EventLoop eventLoop() {
      throw new UnsupportedOperationException();
    }

    @Override
    public SocketAddress remoteAddress() {
      return null;
    }

    @Override
    public String clientIp() {
      return "127.0.0.1";
    }

    @Override
    public String protocol() {
      return "HTTP/2";
    }
  }

  @Test
  void theBackendsContentLength_isDropped_sinceTheTrailerFrameLengthensTheBody() {
    Recording client = new Recording();
    GrpcWebDownstream web =
        new GrpcWebDownstream(
            client, AsciiString.of("application/grpc-web+proto"), CallProtocol.GRPC_WEB, null);

    web.writeHeaders(
        1,
        new DefaultHttp2Headers()
            .status("200")
            .add("content-type", "application/grpc")
            .addInt("content-length", 20),
        false);
    web.writeData(1, Unpooled.wrappedBuffer(new byte[20]), false, f -> {});
    web.writeHeaders(1, new DefaultHttp2Headers().add("grpc-status", "0"), true);

    Http2Headers sent = client.headers.get(0);
    assertThat(sent.get("content-type").toString()).isEqualTo("application/grpc-web+proto");
    assertThat(sent.contains("content-length")).isFalse();
    assertThat(client.data).hasSize(2);
    assertThat(client.data.get(1).getUnsignedByte(0))
        .as("the trailer frame")
        .isEqualTo((short) 0x80);
    client.data.forEach(ByteBuf::release);
  }
}
