package dev.ferry.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.call.Worker;
import dev.ferry.proxy.config.ListenerLimits;
import dev.ferry.proxy.metrics.ProxyMeters;
import dev.ferry.proxy.route.RouteTable;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client connection handler on the wire: a Netty HTTP/2 client on one EmbeddedChannel talks to
 * the handler on another, bytes pumped between them, no sockets.
 */
class DownstreamHttp2HandlerTest {
  /** What the client saw of one stream: header blocks with their END_STREAM flags. */
  private final List<Http2Headers> headers = new ArrayList<>();

  private final List<Boolean> ends = new ArrayList<>();
  private final StringBuilder body = new StringBuilder();

  private final EmbeddedChannel server =
      new EmbeddedChannel(
          DownstreamHttp2Handler.create(
              new Worker(null, Map.of(), AccessLog.OFF, new ProxyMeters()),
              RouteTable.compile(List.of()),
              ListenerLimits.DEFAULTS));
  private final Http2ConnectionHandler clientHandler =
      new Http2ConnectionHandlerBuilder()
          .server(false)
          .frameListener(
              new Http2EventAdapter() {
                @Override
                public void onHeadersRead(
                    ChannelHandlerContext ctx,
                    int streamId,
                    Http2Headers h,
                    int padding,
                    boolean endOfStream) {
                  headers.add(h);
                  ends.add(endOfStream);
                }

                @Override
                public void onHeadersRead(
                    ChannelHandlerContext ctx,
                    int streamId,
                    Http2Headers h,
                    int streamDependency,
                    short weight,
                    boolean exclusive,
                    int padding,
                    boolean endOfStream) {
                  onHeadersRead(ctx, streamId, h, padding, endOfStream);
                }

                @Override
                public int onDataRead(
                    ChannelHandlerContext ctx,
                    int streamId,
                    ByteBuf data,
                    int padding,
                    boolean end) {
                  body.append(data.toString(java.nio.charset.StandardCharsets.UTF_8));
                  ends.add(end);
                  return data.readableBytes() + padding;
                }
              })
          .build();
  private final EmbeddedChannel client = new EmbeddedChannel(clientHandler);

  /** Moves bytes both ways until neither side has anything more to say. */
  private void pump() {
    boolean moved = true;
    while (moved) {
      moved = false;
      server.runPendingTasks();
      client.runPendingTasks();
      ByteBuf b;
      while ((b = client.readOutbound()) != null) {
        server.writeInbound(b);
        moved = true;
      }
      server.runPendingTasks();
      while ((b = server.readOutbound()) != null) {
        client.writeInbound(b);
        moved = true;
      }
    }
    server.checkException();
    client.checkException();
  }

  @AfterEach
  void nothingLeftOver() {
    server.close(); // sends GOAWAY: the only thing left to read
    ByteBuf goAway;
    while ((goAway = server.readOutbound()) != null) {
      goAway.release();
    }
    assertFalse(server.finish());
    client.finishAndReleaseAll();
  }

  @Test
  void grpcRequestWithNoRoute_getsTrailersOnly_inOneHeadersFrameWithEndStream() {
    Http2Headers h =
        new DefaultHttp2Headers()
            .method("POST")
            .scheme("http")
            .path("/pkg.Missing/Call")
            .authority("localhost")
            .add("content-type", "application/grpc")
            .add("te", "trailers");

    clientHandler
        .encoder()
        .writeHeaders(client.pipeline().context(clientHandler), 3, h, 0, true, client.newPromise());
    client.flush();
    pump();
    assertThat(headers).hasSize(1);
    assertThat(ends).containsExactly(true);
    Http2Headers reply = headers.get(0);
    assertThat(reply.status()).hasToString("200");
    assertThat(reply.get("content-type")).hasToString("application/grpc");
    assertThat(reply.get("grpc-status")).hasToString("12");
    assertThat(reply.get("grpc-message")).hasToString("ferry: no route for /pkg.Missing/Call");
    assertThat(reply.get("ferry-local-reply")).hasToString("no_route");
  }

  @Test
  void plainRequestWithNoRoute_gets404WithATextBody() {
    Http2Headers h =
        new DefaultHttp2Headers().method("GET").scheme("http").path("/nope").authority("localhost");
    clientHandler
        .encoder()
        .writeHeaders(client.pipeline().context(clientHandler), 3, h, 0, true, client.newPromise());
    client.flush();
    pump();
    assertThat(headers).hasSize(1);
    assertThat(headers.get(0).status()).hasToString("404");
    assertThat(headers.get(0).get("ferry-local-reply")).hasToString("no_route");
    assertThat(body.toString()).isEqualTo("ferry: no route for /nope\n");
    assertThat(ends).containsExactly(false, true);
  }
}
