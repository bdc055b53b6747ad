package dev.ferry.proxy.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.config.RetryPolicy;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.route.Route;
import dev.ferry.proxy.route.RouteTable;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryHoldTest {
  private static final int UNAVAILABLE = 14;

  /** A route that retries UNAVAILABLE, three tries in all, without backoff or budget limits. */
  private static RetryHold hold() {
    RetryPolicy policy = new RetryPolicy(Set.of(UNAVAILABLE), 3, Duration.ZERO, Duration.ZERO, 100);
    Route route =
        RouteTable.compile(List.of(new RouteConfig(null, "c", null, null, null, null, policy)))
            .match(new DefaultHttp2Headers().path("/a.B/C"));
    return new RetryHold(route);
  }

  @Test
  void heldHeaders_areReleasedOnce() {
    RetryHold hold = hold();
    Http2Headers headers = new DefaultHttp2Headers().status("200");
    hold.hold(headers);
    assertThat(hold.isHolding()).isTrue();
    assertThat(hold.release()).isSameAs(headers);
    assertThat(hold.isHolding()).isFalse();
  }

  @Test
  void retriedStatus_isTriedAgain_untilTheAttemptsAreSpent() {
    RetryHold hold = hold();
    hold.hold(new DefaultHttp2Headers().status("200"));
    assertThat(hold.nextWait(UNAVAILABLE, true, null)).isZero();
    hold.taken();
    assertThat(hold.isHolding()).isFalse(); // the replaced try's headers are never sent
    assertThat(hold.nextWait(UNAVAILABLE, true, null)).isZero();
    hold.taken();
    assertThat(hold.nextWait(UNAVAILABLE, true, null)).isEqualTo(-1);
  }

  @Test
  void otherStatus_noStatus_orARequestNoLongerHeld_isNotRetried() {
    RetryHold hold = hold();
    assertThat(hold.nextWait(0, true, null)).isEqualTo(-1);
    assertThat(hold.nextWait(13, true, null)).isEqualTo(-1);
    assertThat(hold.nextWait(-1, true, null)).isEqualTo(-1);
    assertThat(hold.nextWait(UNAVAILABLE, false, null)).isEqualTo(-1);
  }

  @Test
  void retryThatWouldEndAtTheDeadline_isNotTaken() {
    EmbeddedChannel loop = new EmbeddedChannel();
    CallDeadline now =
        CallDeadline.start(
            loop.eventLoop(), loop.eventLoop().ticker().nanoTime(), 0, false, () -> {});
    assertThat(hold().nextWait(UNAVAILABLE, true, now)).isEqualTo(-1);
    now.cancel();
    assertThat(loop.finish()).isFalse();
  }

  @Test
  void statusIsReadFromTrailers() {
    assertThat(RetryHold.status(new DefaultHttp2Headers().set("grpc-status", "14"))).isEqualTo(14);
    assertThat(RetryHold.status(new DefaultHttp2Headers())).isEqualTo(-1);
  }
}
