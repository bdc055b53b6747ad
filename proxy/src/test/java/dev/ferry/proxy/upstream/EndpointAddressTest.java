package dev.ferry.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.config.Endpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

class EndpointAddressTest {
  /** Answers each lookup with the next of its answers; {@code null} fails the lookup. */
  private static final class ScriptedDns implements EndpointAddress.HostLookup {
    private final Deque<String> answers = new ArrayDeque<>();

    ScriptedDns answer(String ip) {
      answers.add(ip == null ? "" : ip);
      return this;
    }

    @Override
    public InetAddress lookup(String host) throws UnknownHostException {
      String ip = answers.remove();
      if (ip.isEmpty()) {
        throw new UnknownHostException(host);
      }
      return InetAddress.getByAddress(host, InetAddress.getByName(ip).getAddress());
    }
  }

  @Test
  void hostName_resolves() {
    EndpointAddress a =
        new EndpointAddress(Endpoint.tcp("localhost", 8080, 1), InetAddress::getByName);
    a.resolve();
    assertThat(a.address()).isNotNull();
    assertThat(inet(a).getAddress().isLoopbackAddress()).isTrue();
    assertThat(inet(a).getPort()).isEqualTo(8080);
    assertThat(a.failure()).isNull();
  }

  @Test
  void nameThatNeverResolved_hasNoAddressAndSaysWhy() {
    EndpointAddress a =
        new EndpointAddress(Endpoint.tcp("api.internal", 1, 1), new ScriptedDns().answer(null));
    a.resolve();
    assertThat(a.address()).isNull();
    assertThat(a.failure()).isEqualTo("cannot resolve api.internal");
  }

  @Test
  void failedRefresh_keepsTheLastGoodAddress() {
    ScriptedDns dns = new ScriptedDns().answer("10.0.0.1").answer(null).answer("10.0.0.2");
    EndpointAddress a = new EndpointAddress(Endpoint.tcp("api.internal", 8080, 1), dns);

    a.resolve();
    assertThat(inet(a).getAddress().getHostAddress()).isEqualTo("10.0.0.1");

    a.resolve();
    assertThat(inet(a).getAddress().getHostAddress()).isEqualTo("10.0.0.1");
    assertThat(a.failure()).isEqualTo("cannot resolve api.internal");

    a.resolve();
    assertThat(inet(a).getAddress().getHostAddress()).isEqualTo("10.0.0.2");
    assertThat(a.failure()).isNull();
  }

  private static InetSocketAddress inet(EndpointAddress a) {
    return (InetSocketAddress) a.address();
  }
}
