package dev.ferry.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Http1TranslationTest {
  /** Every connection-specific field of RFC 9113 8.2.2, as an HTTP/1.1 client may send them. */
  private static void addHopByHop(HttpHeaders h) {
    h.add("Connection", "keep-alive, Upgrade")
        .add("Keep-Alive", "timeout=5")
        .add("Proxy-Connection", "keep-alive")
        .add("Transfer-Encoding", "chunked")
        .add("Upgrade", "h2c")
        .add("HTTP2-Settings", "AAMAAABkAAQAoAAAAAIAAAAA");
  }

  private static List<String> names(Http2Headers h) {
    List<String> names = new ArrayList<>();
    for (Map.Entry<CharSequence, CharSequence> e : h) {
      names.add(e.getKey().toString());
    }
    return names;
  }

  private static HttpRequest get(String uri) {
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
  }

  private static Http2Headers h2Response(String status) {
    return new DefaultHttp2Headers().status(status);
  }

  @Test
  void request_becomesPseudoHeaders_withHostAsAuthority() {
    HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/a/b?c=d");
    req.headers().add("Host", "api.example:8080").add("Content-Type", "application/json");

    Http2Headers h = Http1Translation.toHttp2Request(req);

    assertThat(h.method()).hasToString("POST");
    assertThat(h.path()).hasToString("/a/b?c=d");
    assertThat(h.scheme()).hasToString("http");
    assertThat(h.authority()).hasToString("api.example:8080");
    assertThat(h.get("content-type")).hasToString("application/json");
    assertThat(h.contains("host")).isFalse();
  }

  @Test
  void requestWithoutHost_hasNoAuthority() {
    assertThat(Http1Translation.toHttp2Request(get("/")).authority()).isNull();
  }

  @Test
  void requestHeaderNames_areLowerCased() {
    HttpRequest req = get("/");
    req.headers().add("X-Request-ID", "42");

    Http2Headers h = Http1Translation.toHttp2Request(req);

    assertThat(names(h)).contains("x-request-id").doesNotContain("X-Request-ID");
    assertThat(h.get("x-request-id")).hasToString("42");
  }

  @Test
  void requestHopByHopHeaders_areDropped() {
    HttpRequest req = get("/");
    addHopByHop(req.headers());
    req.headers().add("X-Kept", "yes");

    Http2Headers h = Http1Translation.toHttp2Request(req);

    assertThat(names(h)).containsExactlyInAnyOrder(":method", ":path", ":scheme", "x-kept");
  }

  @Test
  void fieldsNamedInConnection_areDropped_asTheSenderMarkedThemHopByHop() {
    HttpRequest req = get("/");
    req.headers().add("Connection", "close, X-Secret").add("x-secret", "1").add("X-Kept", "yes");

    Http2Headers h = Http1Translation.toHttp2Request(req);

    assertThat(names(h)).containsExactlyInAnyOrder(":method", ":path", ":scheme", "x-kept");
  }

  @Test
  void teTrailers_isKept_otherTeValuesAreDropped() {
    HttpRequest trailers = get("/");
    trailers.headers().add("TE", "Trailers");
    HttpRequest gzip = get("/");
    gzip.headers().add("TE", "gzip");

    assertThat(Http1Translation.toHttp2Request(trailers).get("te")).hasToString("Trailers");
    assertThat(Http1Translation.toHttp2Request(gzip).contains("te")).isFalse();
  }

  @Test
  void response_becomesStatus_withoutHopByHopHeaders() {
    HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND);
    addHopByHop(res.headers());
    res.headers().add("Content-Type", "text/plain");

    Http2Headers h = Http1Translation.toHttp2Response(res);

    assertThat(h.status()).hasToString("404");
    assertThat(names(h)).containsExactlyInAnyOrder(":status", "content-type");
  }

  @Test
  void trailers_keepTheirFields_lowerCased() {
    HttpHeaders t = new DefaultHttpHeaders().add("Grpc-Status", "0").add("Connection", "close");

    Http2Headers h = Http1Translation.toHttp2Trailers(t);

    assertThat(names(h)).containsExactly("grpc-status");
  }

  @Test
  void h2Request_becomesAnHttp1Head_withHost_andNoPseudoHeadersOrTe() {
    Http2Headers h =
        new DefaultHttp2Headers()
            .method("POST")
            .path("/x.Y/Z")
            .scheme("http")
            .authority("backend:80")
            .add("te", "trailers")
            .add("content-type", "application/grpc");

    HttpRequest req = Http1Translation.toHttp1Request(h, false);

    assertThat(req.method()).isEqualTo(HttpMethod.POST);
    assertThat(req.uri()).isEqualTo("/x.Y/Z");
    assertThat(req.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
    assertThat(req.headers().get("host")).isEqualTo("backend:80");
    assertThat(req.headers().get("content-type")).isEqualTo("application/grpc");
    assertThat(req.headers().names()).noneMatch(n -> n.startsWith(":"));
    assertThat(req.headers().contains("te")).isFalse();
  }

  @Test
  void h2RequestWithoutPath_goesToTheRoot() {
    HttpRequest req =
        Http1Translation.toHttp1Request(new DefaultHttp2Headers().method("GET"), true);

    assertThat(req.uri()).isEqualTo("/");
  }

  @Test
  void h2RequestWithABodyToCome_isSentChunked() {
    HttpRequest req =
        Http1Translation.toHttp1Request(new DefaultHttp2Headers().method("POST").path("/"), false);

    assertThat(req.headers().get("transfer-encoding")).isEqualTo("chunked");
    assertThat(req.headers().contains("content-length")).isFalse();
  }

  @Test
  void h2RequestWithItsLength_keepsIt_andIsNotChunked() {
    Http2Headers h = new DefaultHttp2Headers().method("POST").path("/").add("content-length", "5");

    HttpRequest req = Http1Translation.toHttp1Request(h, false);

    assertThat(req.headers().get("content-length")).isEqualTo("5");
    assertThat(req.headers().contains("transfer-encoding")).isFalse();
  }

  @Test
  void h2RequestEndedWithItsHeaders_hasNoBodyFraming() {
    HttpRequest req =
        Http1Translation.toHttp1Request(new DefaultHttp2Headers().method("GET").path("/"), true);

    assertThat(req.headers().contains("content-length")).isFalse();
    assertThat(req.headers().contains("transfer-encoding")).isFalse();
  }

  @Test
  void h2ResponseEndedWithItsHeaders_saysContentLengthZero() {
    HttpResponse res = Http1Translation.toHttp1Response(h2Response("200"), true, false);

    assertThat(res.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(res.headers().get("content-length")).isEqualTo("0");
    assertThat(res.headers().contains("transfer-encoding")).isFalse();
  }

  @Test
  void h2ResponseWithABodyToCome_isSentChunked_unlessItsLengthIsKnown() {
    HttpResponse chunked = Http1Translation.toHttp1Response(h2Response("200"), false, false);
    HttpResponse sized =
        Http1Translation.toHttp1Response(
            h2Response("200").add("content-length", "12"), false, false);

    assertThat(chunked.headers().get("transfer-encoding")).isEqualTo("chunked");
    assertThat(sized.headers().get("content-length")).isEqualTo("12");
    assertThat(sized.headers().contains("transfer-encoding")).isFalse();
  }

  @Test
  void responsesThatCarryNoBody_getNoFraming() {
    for (String status : List.of("204", "304", "103")) {
      HttpResponse res = Http1Translation.toHttp1Response(h2Response(status), false, false);

      assertThat(res.headers().contains("content-length")).as(status).isFalse();
      assertThat(res.headers().contains("transfer-encoding")).as(status).isFalse();
    }
  }

  @Test
  void responseToHead_keepsTheLengthItWasGiven_andGetsNoFramingOfItsOwn() {
    HttpResponse bare = Http1Translation.toHttp1Response(h2Response("200"), true, true);
    HttpResponse sized =
        Http1Translation.toHttp1Response(
            h2Response("200").add("content-length", "1234"), true, true);

    assertThat(bare.headers().contains("content-length")).isFalse();
    assertThat(bare.headers().contains("transfer-encoding")).isFalse();
    assertThat(sized.headers().get("content-length")).isEqualTo("1234");
  }

  @Test
  void h2ResponseWithoutAUsableStatus_becomes502() {
    assertThat(Http1Translation.toHttp1Response(new DefaultHttp2Headers(), true, false).status())
        .isEqualTo(HttpResponseStatus.BAD_GATEWAY);
    assertThat(Http1Translation.toHttp1Response(h2Response("abc"), true, false).status())
        .isEqualTo(HttpResponseStatus.BAD_GATEWAY);
  }

  @Test
  void h2ResponseHopByHopHeaders_areDropped() {
    Http2Headers h = h2Response("200").add("connection", "close").add("upgrade", "h2c");
    h.add("x-kept", "yes");

    HttpResponse res = Http1Translation.toHttp1Response(h, false, false);

    assertThat(res.headers().contains("connection")).isFalse();
    assertThat(res.headers().contains("upgrade")).isFalse();
    assertThat(res.headers().get("x-kept")).isEqualTo("yes");
  }

  @Test
  void h2Trailers_becomeTrailerFields_withoutPseudoHeaders() {
    HttpHeaders out = new DefaultHttpHeaders();

    Http1Translation.copyTrailers(
        new DefaultHttp2Headers().add("grpc-status", "0").add("grpc-message", "ok"), out);

    assertThat(out.get("grpc-status")).isEqualTo("0");
    assertThat(out.get("grpc-message")).isEqualTo("ok");
    assertThat(out.size()).isEqualTo(2);
  }
}
