package dev.ferry.proxy.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Plain HTTP/1.1 through the tap is shown as requests and responses. */
class Http1TraceTest {
  private static final String I = "                              ";

  @Test
  void requestAndResponse_areShownWithTheirHeaders() {
    TraceHarness h = new TraceHarness();
    h.bytes(
        Direction.CLIENT_TO_SERVER,
        Unpooled.copiedBuffer("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
    h.advanceMillis(1);
    h.bytes(
        Direction.SERVER_TO_CLIENT,
        Unpooled.copiedBuffer(
            "HTTP/1.1 404 Not Found\r\ncontent-length: 5\r\n\r\nnope!", StandardCharsets.US_ASCII));
    h.finish();

    assertThat(h.lines())
        .containsExactly(
            "     0.000ms c1   → s1    REQUEST       GET /hello HTTP/1.1",
            I + "Host: x",
            "     1.000ms c1   ← s1    RESPONSE      HTTP/1.1 404 Not Found",
            I + "content-length: 5",
            "     1.000ms c1   ← s1    BODY          5 bytes",
            "     1.000ms c1   · s0    CLOSE         closed");
    assertThat(h.events.get(1).error()).isTrue();
  }
}
