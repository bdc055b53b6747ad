package dev.ferry.proxy.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class ConnectionLimitHandlerTest {
  @Test
  void connectionsUpToTheLimit_stayOpen_andTheHandlerStepsAside() {
    ConnectionLimitHandler limit = new ConnectionLimitHandler(2);

    EmbeddedChannel a = new EmbeddedChannel(limit);
    EmbeddedChannel b = new EmbeddedChannel(limit);

    assertThat(a.isOpen()).isTrue();
    assertThat(b.isOpen()).isTrue();
    assertThat(limit.open()).isEqualTo(2);
    assertThat(a.pipeline().get(ConnectionLimitHandler.class)).isNull();
    assertFalse(a.finish());
    assertFalse(b.finish());
  }

  @Test
  void connectionBeyondTheLimit_isClosedAsItArrives_andNotCounted() {
    ConnectionLimitHandler limit = new ConnectionLimitHandler(2);
    EmbeddedChannel a = new EmbeddedChannel(limit);
    EmbeddedChannel b = new EmbeddedChannel(limit);

    EmbeddedChannel c = new EmbeddedChannel(limit);

    assertThat(c.isOpen()).isFalse();
    assertThat(limit.open()).isEqualTo(2);
    assertFalse(a.finish());
    assertFalse(b.finish());
    assertFalse(c.finish());
  }

  @Test
  void closedConnection_freesItsPlace() {
    ConnectionLimitHandler limit = new ConnectionLimitHandler(1);
    EmbeddedChannel a = new EmbeddedChannel(limit);

    a.close();
    EmbeddedChannel b = new EmbeddedChannel(limit);

    assertThat(b.isOpen()).isTrue();
    assertThat(limit.open()).isEqualTo(1);
    assertFalse(a.finish());
    assertFalse(b.finish());
  }
}
