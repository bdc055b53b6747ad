package dev.ferry.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessLogFormatterTest {
  static final long T = Instant.parse("2026-11-24T06:21:12.123Z").toEpochMilli();

  static AccessLogEntry grpcOk() {
    return new AccessLogEntry(
        T,
        new InetSocketAddress("127.0.0.1", 53422),
        "POST",
        "/helloworld.Greeter/SayHello",
        "127.0.0.1:8080",
        "HTTP/2",
        true,
        200,
        0,
        "127.0.0.1:50051",
        null,
        12,
        20,
        2_310_400,
        null,
        "ok",
        null,
        null,
        null);
  }

  static String text(AccessLogEntry e) {
    StringBuilder sb = new StringBuilder();
    new TextAccessLogFormatter().format(e, sb);
    return sb.toString();
  }

  static String json(AccessLogEntry e) {
    StringBuilder sb = new StringBuilder();
    new JsonAccessLogFormatter().format(e, sb);
    return sb.toString();
  }

  @Test
  void grpcCall_showsStatusNameAndCode() {
    assertThat(text(grpcOk()))
        .isEqualTo(
            "2026-11-24T06:21:12.123Z 127.0.0.1:53422 \"POST /helloworld.Greeter/SayHello HTTP/2\""
                + " grpc=OK(0) reason=ok detail=\"\" upstream=127.0.0.1:50051 in=12 out=20"
                + " time=2.310ms");
  }

  @Test
  void retriedCall_listsEveryTry_inTextAndJson() {
    AccessLogEntry ok = grpcOk();
    AccessLogEntry e =
        new AccessLogEntry(
            ok.startMillis(),
            ok.client(),
            ok.httpMethod(),
            ok.path(),
            ok.authority(),
            ok.protocol(),
            true,
            200,
            14,
            "127.0.0.1:50052",
            null,
            5,
            0,
            3_120_000,
            null,
            "upstream",
            "UNAVAILABLE(14) from 127.0.0.1:50052: backend says no",
            List.of(
                new UpstreamAttempt("127.0.0.1:50052", "UNAVAILABLE(14)"),
                new UpstreamAttempt("127.0.0.1:50053", "connect_refused")),
            null);

    assertThat(text(e))
        .contains(
            " upstream=127.0.0.1:50052"
                + " attempts=127.0.0.1:50052/UNAVAILABLE(14),127.0.0.1:50053/connect_refused in=5");
    assertThat(json(e))
        .contains(
            "\"detail\":\"UNAVAILABLE(14) from 127.0.0.1:50052: backend says no\",\"attempts\":["
                + "{\"endpoint\":\"127.0.0.1:50052\",\"outcome\":\"UNAVAILABLE(14)\"},"
                + "{\"endpoint\":\"127.0.0.1:50053\",\"outcome\":\"connect_refused\"}]");
    assertThat(text(grpcOk())).doesNotContain("attempts");
    assertThat(json(grpcOk())).doesNotContain("attempts");
  }

  @Test
  void localReply_showsTheReasonAndNoUpstream() {
    AccessLogEntry e =
        new AccessLogEntry(
            T,
            new InetSocketAddress("::1", 40000),
            "POST",
            "/x.Y/Z",
            null,
            "HTTP/2",
            true,
            200,
            12,
            null,
            "no_route",
            5,
            0,
            80_000,
            null,
            "no_route",
            "ferry: no route for /x.Y/Z \"\\\n",
            null,
            null);
    assertThat(text(e))
        .isEqualTo(
            "2026-11-24T06:21:12.123Z [0:0:0:0:0:0:0:1]:40000 \"POST /x.Y/Z HTTP/2\""
                + " grpc=UNIMPLEMENTED(12) reason=no_route"
                + " detail=\"ferry: no route for /x.Y/Z \\x22\\x5c\\x0a\" upstream=- in=5 out=0"
                + " time=0.080ms");
  }

  @Test
  void plainHttp_showsTheHttpStatus() {
    AccessLogEntry e =
        new AccessLogEntry(
            T,
            new InetSocketAddress("127.0.0.1", 1),
            "GET",
            "/users",
            "api",
            "HTTP/1.1",
            false,
            404,
            -1,
            "127.0.0.1:8000",
            null,
            0,
            512,
            1_004_000_000L,
            null,
            null,
            null,
            null,
            null);
    assertThat(text(e))
        .isEqualTo(
            "2026-11-24T06:21:12.123Z 127.0.0.1:1 \"GET /users HTTP/1.1\" http=404"
                + " reason=- detail=\"\" upstream=127.0.0.1:8000 in=0 out=512 time=1004.000ms");
  }

  @Test
  void grpcCallWithoutStatus_showsTheHttpStatusInstead() {
    AccessLogEntry e =
        new AccessLogEntry(
            T,
            null,
            "POST",
            "/a.B/C",
            null,
            "HTTP/2",
            true,
            0,
            -1,
            "127.0.0.1:1",
            null,
            0,
            0,
            0,
            null,
            null,
            null,
            null,
            null);
    assertThat(text(e))
        .isEqualTo(
            "2026-11-24T06:21:12.123Z - \"POST /a.B/C HTTP/2\" grpc=- http=- reason=-"
                + " detail=\"\" upstream=127.0.0.1:1 in=0 out=0 time=0.000ms");
  }

  @Test
  void textFields_cannotForgeALine() {
    AccessLogEntry e =
        new AccessLogEntry(
            T,
            null,
            "GET",
            "/a\"b c\n\u00e9",
            null,
            "HTTP/1.1",
            false,
            200,
            -1,
            null,
            null,
            0,
            0,
            0,
            null,
            null,
            null,
            null,
            null);
    assertThat(text(e)).contains("\"GET /a\\x22b\\x20c\\x0a\\xe9 HTTP/1.1\"").doesNotContain("\n");
  }

  @Test
  void json_hasEveryFieldOnOneLine() {
    assertThat(json(grpcOk()))
        .isEqualTo(
            "{\"time\":\"2026-11-24T06:21:12.123Z\",\"client\":\"127.0.0.1:53422\","
                + "\"method\":\"POST\",\"path\":\"/helloworld.Greeter/SayHello\","
                + "\"authority\":\"127.0.0.1:8080\",\"protocol\":\"HTTP/2\",\"grpc\":true,"
                + "\"http_status\":200,\"grpc_status\":0,\"grpc_status_name\":\"OK\","
                + "\"upstream\":\"127.0.0.1:50051\",\"local_reply\":null,\"reason\":\"ok\","
                + "\"detail\":null,\"bytes_in\":12,"
                + "\"bytes_out\":20,\"duration_ms\":2.310}");
  }

  @Test
  void json_escapesStringsAndWritesNullsForUnknowns() {
    AccessLogEntry e =
        new AccessLogEntry(
            T,
            null,
            "GET",
            "/q\"\\\n\u0001\u2028",
            null,
            "HTTP/1.1",
            false,
            0,
            -1,
            null,
            null,
            0,
            0,
            0,
            null,
            null,
            null,
            null,
            null);
    assertThat(json(e))
        .contains("\"client\":null")
        .contains("\"path\":\"/q\\\"\\\\\\n\\u0001\\u2028\"")
        .contains("\"http_status\":null,\"grpc_status\":null,\"grpc_status_name\":null")
        .doesNotContain("\n");
  }
}
