package dev.ferry.proxy.connectionlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConnectionLogTest {
  @RegisterExtension final CapturedLog captured = new CapturedLog();
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final ConnectionLog log = new ConnectionLog(nanos::get);

  private EmbeddedChannel connection() {
    EmbeddedChannel ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    log.attach(ch);
    return ch;
  }

  @Test
  void aConnection_isLoggedOnce_withTheChannelFirst() {
    EmbeddedChannel ch = connection();

    ConnectionLog.report(ch, ConnectionEvent.SLOW_HEADERS, "first cause");
    ConnectionLog.report(ch, ConnectionEvent.IDLE, "second cause");

    assertThat(captured.lines("cause"))
        .singleElement(InstanceOfAssertFactories.STRING)
        .contains("WARN")
        .endsWith("ConnectionLog - " + ch + " first cause");
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void aConnection_reportsThroughTheLogOfTheChannelThatAcceptedIt() {
    EmbeddedChannel listening = new EmbeddedChannel();
    log.attach(listening);
    for (int i = 0; i < ConnectionLog.BURST + 5; i++) {
      EmbeddedChannel accepted =
          new EmbeddedChannel(
              listening,
              DefaultChannelId.newInstance(),
              true,
              false,
              new ChannelInboundHandlerAdapter());
      ConnectionLog.report(accepted, ConnectionEvent.SILENT, "accepted " + i);
      assertThat(accepted.finish()).isFalse();
    }

    // The listener's rate limit held: the lines went through its log, not around it.
    assertThat(captured.lines("accepted")).hasSize(ConnectionLog.BURST);
    assertThat(listening.finish()).isFalse();
  }

  @Test
  void aFloodOfOneKind_isCutToABurst_andTheNextLineCountsWhatWasLeftOut() {
    for (int i = 0; i < 100; i++) {
      ConnectionLog.report(connection(), ConnectionEvent.TLS_HANDSHAKE_FAILED, "flood " + i);
    }

    assertThat(captured.lines("flood")).hasSize(ConnectionLog.BURST);

    nanos.addAndGet(ConnectionLog.REFILL_NANOS);
    ConnectionLog.report(connection(), ConnectionEvent.TLS_HANDSHAKE_FAILED, "after the flood");

    assertThat(captured.lines("after the flood"))
        .singleElement(InstanceOfAssertFactories.STRING)
        .endsWith("after the flood (90 similar lines suppressed)");
  }

  @Test
  void eachKind_hasItsOwnBudget() {
    for (int i = 0; i < 50; i++) {
      ConnectionLog.report(connection(), ConnectionEvent.TLS_ON_PLAINTEXT_PORT, "tls " + i);
    }

    ConnectionLog.report(connection(), ConnectionEvent.ABUSE_LIMIT, "PING flood");

    assertThat(captured.lines("PING flood")).hasSize(1);
  }
}
