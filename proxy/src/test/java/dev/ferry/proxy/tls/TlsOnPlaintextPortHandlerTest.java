package dev.ferry.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.connectionlog.CapturedLog;
import dev.ferry.proxy.connectionlog.ConnectionLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TlsOnPlaintextPortHandlerTest {
  private static final byte[] CLIENT_HELLO_START = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01};

  @RegisterExtension final CapturedLog captured = new CapturedLog();
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final ConnectionLog log = new ConnectionLog(nanos::get);

  private EmbeddedChannel connection() {
    EmbeddedChannel ch = new EmbeddedChannel();
    log.attach(ch);
    ch.pipeline().addLast(new TlsOnPlaintextPortHandler());
    return ch;
  }

  @Test
  void clientHello_closesTheConnection_withOneLineNamingThePeer() {
    EmbeddedChannel ch = connection();

    ch.writeInbound(Unpooled.wrappedBuffer(CLIENT_HELLO_START));

    assertThat(ch.isOpen()).isFalse();
    assertThat((Object) ch.readInbound()).isNull();
    assertThat(captured.lines("spoke TLS to a plaintext port"))
        .singleElement(InstanceOfAssertFactories.STRING)
        .contains("[id: 0xembedded, L:embedded - R:embedded] the client spoke TLS");
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void http2Preface_passesOnUntouched() {
    EmbeddedChannel ch = connection();

    ch.writeInbound(Http2CodecUtil.connectionPrefaceBuf());

    ByteBuf passed = ch.readInbound();
    assertThat(passed.readableBytes()).isEqualTo(24);
    passed.release();
    assertThat(ch.pipeline().get(TlsOnPlaintextPortHandler.class)).isNull();
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void aFloodOfTlsClients_logsABurst_thenOneLineCountingTheRest() {
    for (int i = 0; i < 200; i++) {
      connection().writeInbound(Unpooled.wrappedBuffer(CLIENT_HELLO_START));
    }
    assertThat(captured.lines("spoke TLS to a plaintext port")).hasSize(10);

    nanos.addAndGet(TimeUnit.SECONDS.toNanos(6));
    connection().writeInbound(Unpooled.wrappedBuffer(CLIENT_HELLO_START));

    assertThat(captured.lines("spoke TLS to a plaintext port"))
        .hasSize(11)
        .last(InstanceOfAssertFactories.STRING)
        .endsWith("(190 similar lines suppressed)");
  }
}
