package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.ListenFailedException;
import dev.ferry.proxy.ListenFailedException.Role;
import dev.ferry.proxy.config.FlagConfig;
import dev.ferry.proxy.config.ProxyConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServeStartFailureTest {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    return Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  static ProxyConfig listening(String... addresses) throws Exception {
    return new FlagConfig(List.of(addresses), List.of("a.B=127.0.0.1:1"), null, null, null, null)
        .toProxyConfig();
  }

  @Test
  void listenerPortInUse_isOneLineNamingTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + taken.getLocalPort();

      int code = run("serve", "--listen", address, "--route", "a.B=127.0.0.1:1");

      assertThat(code).isEqualTo(1);
      assertThat(err.toString()).startsWith("ferry serve: " + address + " is already in use");
      assertThat(err.toString().lines()).hasSize(1);
    }
  }

  @Test
  void invalidListenAddress_saysItIsNotAnAddress() {
    int code = run("serve", "--listen", "256.1.1.1:8080", "--route", "a.B=127.0.0.1:1");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo(
            "ferry serve: cannot listen on 256.1.1.1:8080: '256.1.1.1' is not a valid IP"
                + " address, nor a host name that resolves\n");
  }

  @Test
  void secondOfSeveralListenersInUse_isTheOneNamed() throws Exception {
    ListenFailedException e =
        ListenFailedException.of(
            "127.0.0.1", 8081, Role.LISTENER, new BindException("Address already in use"));
    assertThat(RunningProxy.startFailure(listening("127.0.0.1:8080", "127.0.0.1:8081"), e))
        .hasMessageStartingWith("127.0.0.1:8081 is already in use");
  }

  @Test
  void adminPortInUse_saysItIsTheAdminListener() throws Exception {
    ListenFailedException e =
        ListenFailedException.of(
            "127.0.0.1", 9901, Role.ADMIN, new BindException("Address already in use"));
    assertThat(RunningProxy.startFailure(listening("127.0.0.1:8080"), e))
        .hasMessage("cannot listen on 127.0.0.1:9901 (admin): the address is already in use");
  }

  @Test
  void otherFailure_namesTheAddresses() throws Exception {
    assertThat(
            RunningProxy.startFailure(
                listening("127.0.0.1:8080"), new IOException("cannot read server.pem")))
        .hasMessage("cannot listen on 127.0.0.1:8080: cannot read server.pem");
  }
}
