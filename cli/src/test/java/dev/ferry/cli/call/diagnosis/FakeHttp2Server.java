package dev.ferry.cli.call.diagnosis;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * An HTTP/2 server that answers every request in one way a real gRPC server would not: an HTML
 * error page, a reply without grpc-status, a stream reset, a GOAWAY, a proxy's local reply, or
 * silence. It plays the intermediaries and broken servers that {@code ferry call} must explain, and
 * records the first stream reset the client sends.
 */
final class FakeHttp2Server implements AutoCloseable {
  /** How the server answers every request. */
  enum Answer {
    HTML_502,
    NO_GRPC_STATUS,
    /** What a plain HTTP/2 file server (nghttpd) sends: no content-type, then grpc-status 0. */
    NO_CONTENT_TYPE,
    RESET_STREAM,
    GOAWAY,
    FERRY_LOCAL_REPLY,
    /** Never answers: the client's deadline passes. */
    SILENT
  }

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  private final CompletableFuture<Http2Error> resetReceived = new CompletableFuture<>();

  FakeHttp2Server(Answer answer) throws InterruptedException {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(
                            Http2FrameCodecBuilder.forServer().build(),
                            new Answerer(answer, resetReceived));
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  String address() {
    return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** The error code of the first RST_STREAM the client sent. */
  CompletableFuture<Http2Error> resetReceived() {
    return resetReceived;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Answers the first frame of each request stream, and drops (releases) every other frame. */
  private static final class Answerer extends SimpleChannelInboundHandler<Object> {
    private final Answer answer;
    private final CompletableFuture<Http2Error> resetReceived;

    Answerer(Answer answer, CompletableFuture<Http2Error> resetReceived) {
      super(false);
      this.answer = answer;
      this.resetReceived = resetReceived;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame headers) {
          answer(ctx, headers.stream());
        } else if (msg instanceof Http2ResetFrame reset) {
          resetReceived.complete(Http2Error.valueOf(reset.errorCode()));
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void answer(ChannelHandlerContext ctx, Http2FrameStream stream) {
      switch (answer) {
        case HTML_502 -> {
          write(ctx, stream, headers("502", "text/html; charset=utf-8"), false);
          byte[] page =
              "<html><head><title>502 Bad Gateway</title></head><body>bad gateway</body></html>"
                  .getBytes(StandardCharsets.UTF_8);
          ctx.writeAndFlush(
              new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(page), true).stream(stream));
        }
        case NO_GRPC_STATUS -> {
          write(ctx, stream, headers("200", "application/grpc"), false);
          ctx.writeAndFlush(new DefaultHttp2DataFrame(true).stream(stream));
        }
        case NO_CONTENT_TYPE -> {
          write(ctx, stream, new DefaultHttp2Headers().status("200"), false);
          ctx.write(
              new DefaultHttp2DataFrame(
                      Unpooled.wrappedBuffer("Hello".getBytes(StandardCharsets.UTF_8)), false)
                  .stream(stream));
          write(ctx, stream, new DefaultHttp2Headers().add("grpc-status", "0"), true);
        }
        case RESET_STREAM ->
            ctx.writeAndFlush(
                new DefaultHttp2ResetFrame(Http2Error.ENHANCE_YOUR_CALM).stream(stream));
        case GOAWAY ->
            ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.ENHANCE_YOUR_CALM))
                .addListener(ChannelFutureListener.CLOSE);
        case FERRY_LOCAL_REPLY -> {
          Http2Headers trailersOnly =
              headers("200", "application/grpc")
                  .add("grpc-status", "14")
                  .add("grpc-message", "no healthy endpoint in cluster greeter")
                  .add("ferry-local-reply", "no_healthy_upstream");
          write(ctx, stream, trailersOnly, true);
        }
        case SILENT -> {}
      }
    }

    private static Http2Headers headers(String status, String contentType) {
      return new DefaultHttp2Headers().status(status).add("content-type", contentType);
    }

    private static void write(
        ChannelHandlerContext ctx, Http2FrameStream stream, Http2Headers headers, boolean end) {
      Http2StreamFrame frame = new DefaultHttp2HeadersFrame(headers, end).stream(stream);
      ctx.writeAndFlush(frame);
    }
  }
}
