package dev.ferry.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.config.Endpoint;
import org.junit.jupiter.api.Test;

class EndpointAddressTest {
  @Test
  void hostName_resolves() {
    EndpointAddress a = new EndpointAddress(new Endpoint("localhost", 8080, 1));
    a.resolve();
    assertThat(a.address()).isNotNull();
    assertThat(a.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(a.address().getPort()).isEqualTo(8080);
    assertThat(a.failure()).isNull();
  }

  @Test
  void failedRefresh_keepsTheLastGoodAddress() {
    EndpointAddress a = new EndpointAddress(new Endpoint("127.0.0.1", 1, 1));
    a.resolve();
    assertThat(a.address()).isNotNull();
    EndpointAddress bad = new EndpointAddress(new Endpoint("no-such-host.invalid", 1, 1));
    bad.resolve();
    assertThat(bad.address()).isNull();
    assertThat(bad.failure()).isEqualTo("cannot resolve no-such-host.invalid");
  }
}
