package dev.ferry.proxy.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.accesslog.AccessLogEntry;
import dev.ferry.proxy.config.CorsConfig;
import dev.ferry.proxy.config.HeaderRules;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.config.RouteMatch;
import dev.ferry.proxy.cors.CorsPreflight;
import dev.ferry.proxy.metrics.ProxyMeters;
import dev.ferry.proxy.route.RouteTable;
import dev.ferry.proxy.transport.StreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a listener's streams meet CORS before any call is made: a preflight answered by the proxy, a
 * refused origin answered 403 and logged, and the proxy's own answers carrying the CORS headers.
 */
class CallFactoryCorsTest {
  private static final String PAGE = "http://page.test";

  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final FakeDownstream client = new FakeDownstream(channel);
  private final FakeCluster cluster = new FakeCluster("greeter", channel, 1);
  private final List<AccessLogEntry> log = new ArrayList<>();
  private final Worker worker =
      new Worker(
          channel.eventLoop(),
          Map.of(),
          new AccessLog() {
            @Override
            public void log(AccessLogEntry entry) {
              log.add(entry);
            }

            @Override
            public void close() {}
          },
          new ProxyMeters());

  /** One route, the listener's cors: its default as the config's builder makes it. */
  private final ListenerConfig listener =
      ListenerConfig.builder(
              "127.0.0.1",
              0,
              List.of(
                  new RouteConfig(
                      new RouteMatch("helloworld.Greeter", null, null, null, List.of()),
                      "greeter",
                      null,
                      HeaderRules.NONE,
                      HeaderRules.NONE,
                      null)))
          .cors(CorsConfig.allowing(List.of(PAGE)))
          .build();

  private final CallFactory factory =
      new CallFactory(
          worker, RouteTable.compile(listener.routes(), listener.cors()), name -> cluster);
  private StreamHandler stream;

  @AfterEach
  void nothingLeftOver() {
    stream.onDownstreamClosed();
    channel.runPendingTasks();
    assertThat(cluster.endpoints).allSatisfy(e -> assertThat(e.inFlight).isZero());
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void preflightFromAllowedOrigin_isAnsweredByTheProxy_withoutACall() {
    stream = factory.newStream(client, 3, preflight(PAGE), true);
    stream.start();
    ByteBuf stray = Unpooled.copiedBuffer(new byte[] {1, 2, 3});
    stream.onRequestData(stray, true);

    assertThat(stream).isInstanceOf(CorsPreflight.class);
    assertThat(client.headers).singleElement();
    assertThat(client.headerEnds).containsExactly(true);
    assertThat(client.last().status()).hasToString("204");
    assertThat(client.last().get("access-control-allow-origin")).hasToString(PAGE);
    assertThat(stray.refCnt()).isZero();
    assertThat(client.consumed).isEqualTo(3);
    assertThat(log).isEmpty();
  }

  @Test
  void refusedOrigin_gets403Text_andTheAccessLogSaysCorsRefused() {
    stream = factory.newStream(client, 3, preflight("http://evil.test"), true);
    stream.start();
    channel.runPendingTasks();

    assertThat(client.headers.get(0).status()).hasToString("403");
    assertThat(client.headers.get(0).contains("access-control-allow-origin")).isFalse();
    assertThat(client.headers.get(0).get("ferry-local-reply")).hasToString("cors_refused");
    assertThat(client.body.toString())
        .isEqualTo(
            "ferry: origin http://evil.test is not in cors: allow_origins of route"
                + " 'helloworld.Greeter'\n");
    stream.onDownstreamClosed();
    channel.runPendingTasks();
    assertThat(log).singleElement().extracting(AccessLogEntry::reason).isEqualTo("cors_refused");
  }

  @Test
  void noRoute_fromAllowedOrigin_carriesTheListenersCorsHeaders() {
    Http2Headers call =
        new DefaultHttp2Headers()
            .method("POST")
            .scheme("http")
            .path("/other.Service/Call")
            .authority("proxy:8080")
            .add("content-type", "application/grpc")
            .add("origin", PAGE);
    stream = factory.newStream(client, 3, call, true);
    stream.start();

    Http2Headers answer = client.headers.get(0);
    assertThat(answer.get("grpc-status")).hasToString("12");
    assertThat(answer.get("access-control-allow-origin")).hasToString(PAGE);
    assertThat(answer.get("access-control-expose-headers").toString()).contains("grpc-message");
    assertThat(answer.get("vary")).hasToString("origin");
  }

  private static Http2Headers preflight(String origin) {
    return new DefaultHttp2Headers()
        .method("OPTIONS")
        .scheme("http")
        .path("/helloworld.Greeter/SayHello")
        .authority("proxy:8080")
        .add("origin", origin)
        .add("access-control-request-method", "POST")
        .add("access-control-request-headers", "content-type,x-grpc-web");
  }
}
