package dev.ferry.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {
  @Test
  void strip_dropsEveryHopByHopHeader_andTeUnlessTrailers() {
    Http2Headers h = new DefaultHttp2Headers();
    h.add("connection", "x").add("keep-alive", "1").add("proxy-connection", "y");
    h.add("transfer-encoding", "chunked").add("upgrade", "h2c").add("http2-settings", "AAA");
    h.add("te", "gzip").add("x-kept", "1");
    HopByHopHeaders.strip(h);
    assertThat(h.names()).extracting(CharSequence::toString).containsExactly("x-kept");

    Http2Headers trailers = new DefaultHttp2Headers().add("te", "Trailers");
    HopByHopHeaders.strip(trailers);
    assertThat(trailers.get("te")).hasToString("Trailers");
  }

  @Test
  void http1Requests_loseTheSameHeaders_onTheirWayToHttp2() {
    HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    req.headers().add("Connection", "keep-alive").add("Keep-Alive", "5").add("Upgrade", "h2c");
    req.headers().add("HTTP2-Settings", "AAA").add("TE", "trailers").add("X-Kept", "1");
    Http2Headers h = Http1Translation.toHttp2Request(req);
    assertThat(h.names())
        .extracting(CharSequence::toString)
        .containsExactlyInAnyOrder(":method", ":path", ":scheme", "te", "x-kept");
  }
}
