package dev.ferry.proxy.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FirstRequestWatcherTest {
  /** An HTTP/1.1 connection as the listener builds it: the timer, then (after the decoder) this. */
  private static EmbeddedChannel connection() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline().addLast(new HeaderReadTimeoutHandler(500), new FirstRequestWatcher());
    return ch;
  }

  @Test
  void firstRequestHead_stopsTheHeaderTimer_andPassesTheRequestOn() {
    EmbeddedChannel ch = connection();
    HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/x");

    ch.writeInbound(req);
    ch.advanceTimeBy(1, TimeUnit.HOURS);
    ch.runScheduledPendingTasks();

    assertThat((Object) ch.readInbound()).isSameAs(req);
    assertThat(ch.isOpen()).isTrue();
    assertThat(ch.pipeline().get(HeaderReadTimeoutHandler.class)).isNull();
    assertThat(ch.pipeline().get(FirstRequestWatcher.class)).isNull();
    assertFalse(ch.finish());
  }

  @Test
  void somethingElseThanARequestHead_leavesTheTimerRunning() {
    EmbeddedChannel ch = connection();
    HttpContent content = new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[] {1}));

    ch.writeInbound(content);
    HttpContent passedOn = ch.readInbound();
    passedOn.release();
    assertThat(passedOn).isSameAs(content);
    assertThat(ch.pipeline().get(FirstRequestWatcher.class)).isNotNull();
    ch.advanceTimeBy(500, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();

    assertThat(ch.isOpen()).isFalse();
    assertFalse(ch.finish());
  }
}
