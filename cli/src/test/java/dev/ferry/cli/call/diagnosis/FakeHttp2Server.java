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
    SILENT,
    /**
     * nginx's {@code error_page 502 = /error502grpc}: {@code :status 204} with grpc-status 14 and
     * grpc-message "unavailable" in the headers.
     */
    NGINX_204,
    /** An HTTP/1.1-only server: answers HTTP/2's preface with 505 and closes. */
    HTTP1_505
  }

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  private final CompletableFuture<Http2Error> resetReceived = new CompletableFuture<>();
  private final java.util.concurrent.atomic.AtomicInteger connections =
      new java.util.concurrent.atomic.AtomicInteger();

  FakeHttp2Server(Answer answer) throws InterruptedException {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    connections.incrementAndGet();
                    if (answer == Answer.HTTP1_505) {
                      ch.pipeline().addLast(new Http1VersionNotSupported());
                      return;
                    }
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

  /** How many connections clients opened so far. */
  int connections() {
    return connections.get();
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

  /** What Python's http.server says to "PRI * HTTP/2.0": 505, then it closes. */
  private static final class Http1VersionNotSupported extends SimpleChannelInboundHandler<Object> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
      byte[] reply =
          ("HTTP/1.0 505 HTTP Version Not Supported\r\nConnection: close\r\n"
                  + "Content-Type: text/html;charset=utf-8\r\nContent-Length: 0\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      ctx.writeAndFlush(Unpooled.wrappedBuffer(reply)).addListener(ChannelFutureListener.CLOSE);
    }
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
        case HTTP1_505 -> throw new IllegalStateException("answered before HTTP/2");
        case NGINX_204 -> {
          // nginx sends no content-type with a 204, though the recipe sets application/grpc.
          Http2Headers headers =
              new DefaultHttp2Headers()
                  .status("204")
                  .add("grpc-status", "14")
                  .add("grpc-message", "unavailable");
          write(ctx, stream, headers, true);
        }
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
