package dev.ferry.proxy.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ProxyHeadersTest {
  private static final String CLIENT = ProxyHeaders.ipOf(new InetSocketAddress("192.0.2.7", 5555));

  @Test
  void hopByHopHeaders_areDropped_metadataKept() {
    Http2Headers h = new DefaultHttp2Headers(false);
    h.add("connection", "keep-alive");
    h.add("keep-alive", "timeout=5");
    h.add("proxy-connection", "x");
    h.add("transfer-encoding", "chunked");
    h.add("upgrade", "h2c");
    h.add("te", "gzip");
    h.add("x-meta", "v");
    h.add("x-meta-bin", "AAEC");
    ProxyHeaders.prepareRequest(h, CLIENT, false);
    assertThat(h.names().stream().map(CharSequence::toString))
        .containsExactlyInAnyOrder("x-meta", "x-meta-bin", "x-forwarded-for");
  }

  @Test
  void grpcRequest_alwaysCarriesTeTrailers() {
    Http2Headers h = new DefaultHttp2Headers(false);
    ProxyHeaders.prepareRequest(h, CLIENT, true);
    assertThat(h.get("te")).hasToString("trailers");
  }

  @Test
  void teTrailers_isKeptForPlainHttp() {
    Http2Headers h = new DefaultHttp2Headers(false);
    h.add("te", "trailers");
    ProxyHeaders.prepareRequest(h, CLIENT, false);
    assertThat(h.get("te")).hasToString("trailers");
  }

  @Test
  void forwardedFor_isAppended() {
    Http2Headers h = new DefaultHttp2Headers(false);
    h.add("x-forwarded-for", "10.0.0.1");
    ProxyHeaders.prepareRequest(h, CLIENT, true);
    assertThat(h.get("x-forwarded-for")).hasToString("10.0.0.1, 192.0.2.7");
  }
}
