package dev.ferry.proxy.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.LocalReplyReason;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What makes a request Connect, and the gRPC call's headers it becomes: content types, the GET
 * query, the timeout, and the table of requests the bridge refuses with one clear line.
 */
class ConnectRequestTest {
  private static Http2Headers post(String contentType) {
    return new DefaultHttp2Headers()
        .method("POST")
        .path("/helloworld.Greeter/SayHello")
        .add("content-type", contentType);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "application/json, true",
    "application/json; charset=utf-8, true",
    "APPLICATION/PROTO, true",
    "application/connect+json, true",
    "application/connect+proto, true",
    "application/grpc, false",
    "application/grpc-web+proto, false",
    "application/xml, false",
    "text/plain, false",
    "application/jsonx, false"
  })
  void contentType_decides(String contentType, boolean connect) {
    assertThat(ConnectRequest.looksLike(post(contentType))).isEqualTo(connect);
  }

  @Test
  void get_isConnectOnlyWithItsQuery() {
    Http2Headers get =
        new DefaultHttp2Headers().method("GET").path("/a.B/C?encoding=json&message=%7B%7D");
    Http2Headers plain = new DefaultHttp2Headers().method("GET").path("/a.B/C?xmessage=1&y=2");

    assertThat(ConnectRequest.looksLike(get)).isTrue();
    assertThat(ConnectRequest.looksLike(plain)).isFalse();
  }

  @Test
  void unaryJson_becomesAGrpcPostWithItsDeadline() {
    Http2Headers h = post("application/json");
    h.add("connect-timeout-ms", "250").add("connect-protocol-version", "1");
    h.add("content-length", "12").add("accept-encoding", "gzip");

    ConnectRequest r = ConnectRequest.read(h);
    r.toGrpc(h);

    assertThat(r.codec()).isEqualTo(ConnectCodec.JSON);
    assertThat(r.streaming()).isFalse();
    assertThat(r.refusal()).isNull();
    assertThat(r.service()).isEqualTo("helloworld.Greeter");
    assertThat(r.method()).isEqualTo("SayHello");
    assertThat(h.get("content-type")).hasToString("application/grpc");
    assertThat(h.get("te")).hasToString("trailers");
    assertThat(h.get("grpc-timeout")).hasToString("250m");
    assertThat(h.contains("content-length")).isFalse();
    assertThat(h.contains("accept-encoding")).isFalse();
    assertThat(h.contains("connect-timeout-ms")).isFalse();
  }

  @Test
  void longTimeout_fitsGrpcTimeoutsEightDigits() {
    Http2Headers h = post("application/proto").add("connect-timeout-ms", "9999999999");
    ConnectRequest.read(h).toGrpc(h);

    assertThat(h.get("grpc-timeout")).hasToString("9999999S");
  }

  @Test
  void get_becomesAPostOfThePathWithoutItsQuery() {
    Http2Headers h =
        new DefaultHttp2Headers()
            .method("GET")
            .path("/helloworld.Greeter/SayHello?connect=v1&encoding=proto&base64=1&message=CgFn");

    ConnectRequest r = ConnectRequest.read(h);
    r.toGrpc(h);

    assertThat(r.get()).containsExactly(0x0a, 0x01, 'g');
    assertThat(h.method()).hasToString("POST");
    assertThat(h.path()).hasToString("/helloworld.Greeter/SayHello");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "content-encoding: gzip | UNIMPLEMENTED | the request is compressed (gzip)",
        "connect-timeout-ms: 1s | INVALID_ARGUMENT | connect-timeout-ms: 1s (expected: 1 to 10",
        "connect-timeout-ms: 12345678901 | INVALID_ARGUMENT | (expected: 1 to 10 digits",
        "connect-protocol-version: 2 | INVALID_ARGUMENT | connect-protocol-version: 2 (expected: 1)"
      })
  void badHeader_isRefusedWithOneLine(String header, GrpcCode code, String says) {
    int colon = header.indexOf(':');
    Http2Headers h =
        post("application/json")
            .add(header.substring(0, colon), header.substring(colon + 1).trim());

    ConnectRequest r = ConnectRequest.read(h);

    assertThat(r.refusal().code()).isEqualTo(code);
    assertThat(r.refusal().reason()).isEqualTo(LocalReplyReason.BAD_REQUEST);
    assertThat(r.refusal().detail()).startsWith("ferry: Connect request: ").contains(says);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "encoding=xml&message=x | encoding=xml (expected: json or proto)",
        "encoding=json&message=x&connect=v2 | connect=v2 (expected: v1)",
        "encoding=json&message=x&compression=gzip | compression=gzip",
        "encoding=proto&base64=1&message=*** | message is not URL-safe base64",
        "encoding=json&message=%zz | the query is not URL-encoded"
      })
  void badGetQuery_isRefusedWithOneLine(String query, String says) {
    Http2Headers h = new DefaultHttp2Headers().method("GET").path("/a.B/C?" + query);

    assertThat(ConnectRequest.read(h).refusal().detail()).contains(says);
  }
}
