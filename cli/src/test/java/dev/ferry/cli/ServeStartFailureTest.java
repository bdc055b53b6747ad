package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.config.FlagConfig;
import dev.ferry.proxy.config.ProxyConfig;
import java.io.IOException;
import java.net.BindException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServeStartFailureTest {
  static ProxyConfig listening(String... addresses) throws Exception {
    return new FlagConfig(List.of(addresses), List.of("a.B=127.0.0.1:1"), null, null, null, null)
        .toProxyConfig();
  }

  @Test
  void epollAddressInUse_isOneLineNamingTheAddress() throws Exception {
    IOException epoll =
        new IOException(
            "cannot listen on 127.0.0.1:8080: bind(..) failed with error(-98): Address already in"
                + " use",
            new IOException("bind(..) failed with error(-98): Address already in use"));
    assertThat(ServeCommand.startFailure(listening("127.0.0.1:8080"), epoll))
        .hasMessageStartingWith("127.0.0.1:8080 is already in use");
  }

  @Test
  void nioBindException_isOneLineNamingTheAddress() throws Exception {
    IOException nio =
        new IOException("cannot listen on [::1]:8080: x", new BindException("Address in use"));
    assertThat(ServeCommand.startFailure(listening("[::1]:8080"), nio))
        .hasMessageStartingWith("[::1]:8080 is already in use");
  }

  @Test
  void severalListeners_keepTheDataPathsMessageNamingTheOne() throws Exception {
    IOException e =
        new IOException(
            "cannot listen on 127.0.0.1:8081: bind(..) failed with error(-98): Address already in"
                + " use");
    assertThat(ServeCommand.startFailure(listening("127.0.0.1:8080", "127.0.0.1:8081"), e))
        .hasMessage(
            "cannot listen on 127.0.0.1:8081: bind(..) failed with error(-98): Address already in"
                + " use");
  }

  @Test
  void otherFailure_namesTheAddresses() throws Exception {
    assertThat(
            ServeCommand.startFailure(
                listening("127.0.0.1:8080"), new IOException("Cannot assign requested address")))
        .hasMessage("cannot listen on 127.0.0.1:8080: Cannot assign requested address");
  }
}
