package dev.ferry.proxy.e2e;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A minimal HTTP/2 client with prior knowledge (what {@code curl --http2-prior-knowledge} does),
 * one request per connection: the JDK client only speaks h2c through Upgrade.
 */
final class H2PriorKnowledgeClient {
  /** The answer: status and body. */
  record Response(String status, String body) {}

  private H2PriorKnowledgeClient() {}

  static Response send(int port, String method, String path, String body) throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      CompletableFuture<Response> result = new CompletableFuture<>();
      StringBuilder received = new StringBuilder();
      String[] status = new String[1];
      Http2ConnectionHandler handler =
          new Http2ConnectionHandlerBuilder()
              .server(false)
              .frameListener(
                  new Http2EventAdapter() {
                    @Override
                    public void onHeadersRead(
                        ChannelHandlerContext ctx,
                        int streamId,
                        Http2Headers headers,
                        int dependency,
                        short weight,
                        boolean exclusive,
                        int padding,
                        boolean endStream) {
                      if (status[0] == null) {
                        status[0] = String.valueOf(headers.status());
                      }
                      if (endStream) {
                        result.complete(new Response(status[0], received.toString()));
                      }
                    }

                    @Override
                    public int onDataRead(
                        ChannelHandlerContext ctx,
                        int streamId,
                        ByteBuf data,
                        int padding,
                        boolean end) {
                      received.append(data.toString(StandardCharsets.UTF_8));
                      if (end) {
                        result.complete(new Response(status[0], received.toString()));
                      }
                      return data.readableBytes() + padding;
                    }
                  })
              .build();
      Channel ch =
          new Bootstrap()
              .group(group)
              .channel(NioSocketChannel.class)
              .handler(handler)
              .connect("127.0.0.1", port)
              .sync()
              .channel();
      ch.eventLoop()
          .execute(
              () -> {
                ChannelHandlerContext ctx = ch.pipeline().context(handler);
                Http2Headers h =
                    new DefaultHttp2Headers()
                        .method(method)
                        .path(path)
                        .scheme("http")
                        .authority("127.0.0.1:" + port);
                boolean hasBody = body != null;
                handler.encoder().writeHeaders(ctx, 3, h, 0, !hasBody, ctx.newPromise());
                if (hasBody) {
                  handler
                      .encoder()
                      .writeData(
                          ctx,
                          3,
                          Unpooled.copiedBuffer(body, StandardCharsets.UTF_8),
                          0,
                          true,
                          ctx.newPromise());
                }
                ch.flush(); // through the handler, so its flow controller writes too
              });
      Response r = result.get(10, TimeUnit.SECONDS);
      ch.close().sync();
      return r;
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
