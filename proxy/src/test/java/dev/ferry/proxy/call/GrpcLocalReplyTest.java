package dev.ferry.proxy.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.status.ProxyStatus;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.Test;

class GrpcLocalReplyTest {
  @Test
  void trailersOnly_carriesStatusMessageAndMarker() {
    Http2Headers h =
        GrpcLocalReply.trailersOnly(
            ProxyStatus.of(
                GrpcCode.UNAVAILABLE,
                503,
                LocalReplyReason.CONNECT_FAILED,
                "ferry: cluster 'x': down"));
    assertThat(h.status()).hasToString("200");
    assertThat(h.get("content-type")).hasToString("application/grpc");
    assertThat(h.get("grpc-status")).hasToString("14");
    assertThat(h.get("grpc-message")).hasToString("ferry: cluster 'x': down");
    assertThat(h.get("ferry-local-reply")).hasToString("connect_failed");
  }

  @Test
  void message_isPercentEncoded() {
    assertThat(GrpcLocalReply.percentEncode("100% ok\nü")).isEqualTo("100%25 ok%0A%C3%BC");
  }

  @Test
  void grpcContentTypes_areRecognised() {
    assertThat(
            GrpcLocalReply.isGrpc(
                new DefaultHttp2Headers().add("content-type", "application/grpc")))
        .isTrue();
    assertThat(
            GrpcLocalReply.isGrpc(
                new DefaultHttp2Headers().add("content-type", "application/grpc+proto")))
        .isTrue();
    assertThat(GrpcLocalReply.isGrpc(new DefaultHttp2Headers().add("content-type", "text/html")))
        .isFalse();
    assertThat(GrpcLocalReply.isGrpc(new DefaultHttp2Headers())).isFalse();
  }

  @Test
  void grpcTimeout_parsesAndFormats() {
    assertThat(GrpcTimeout.parseNanos("100m")).isEqualTo(100_000_000L);
    assertThat(GrpcTimeout.parseNanos("5S")).isEqualTo(5_000_000_000L);
    assertThat(GrpcTimeout.parseNanos("1H")).isEqualTo(3_600_000_000_000L);
    assertThat(GrpcTimeout.parseNanos("123456789n")).isEqualTo(-1);
    assertThat(GrpcTimeout.parseNanos("x")).isEqualTo(-1);
    assertThat(GrpcTimeout.format(1_500_000_000L)).isEqualTo("1500000u");
    assertThat(GrpcTimeout.parseNanos(GrpcTimeout.format(30_000_000_000L)))
        .isEqualTo(30_000_000_000L);
  }
}
