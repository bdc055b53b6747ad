package dev.ferry.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectionIdleHandlerTest {
  private final List<Object> events = new ArrayList<>();

  private EmbeddedChannel channel() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline()
        .addLast(
            new ConnectionIdleHandler(Duration.ofSeconds(10)),
            new ChannelInboundHandlerAdapter() {
              @Override
              public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
              }
            });
    return ch;
  }

  @Test
  public void quietConnection_getsAllIdleEventAfterTimeout() {
    EmbeddedChannel ch = channel();
    ch.advanceTimeBy(9, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(events).isEmpty();
    ch.advanceTimeBy(1, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(events).containsExactly(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    ch.advanceTimeBy(10, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(events).hasSize(2);
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  public void readsAndFlushes_postponeTheEvent() {
    EmbeddedChannel ch = channel();
    ch.advanceTimeBy(8, TimeUnit.SECONDS);
    ch.writeInbound("request");
    ch.advanceTimeBy(8, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(events).isEmpty();
    ch.writeOutbound("response");
    ch.advanceTimeBy(8, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(events).isEmpty();
    ch.advanceTimeBy(2, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(events).containsExactly(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    assertThat(ch.finishAndReleaseAll()).isTrue(); // the inbound and outbound messages
  }

  @Test
  public void closedConnection_getsNoEvent() {
    EmbeddedChannel ch = channel();
    ch.close();
    ch.advanceTimeBy(20, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(events).isEmpty();
  }
}
