package dev.ferry.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.config.Endpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * An endpoint's address through a resolver the test controls: the JDK's hosts-file resolver,
 * pointed by the pom's {@code endpoint-address} run at a file each test writes, with no address
 * cache, so a name resolves to what the file says at that moment. The JDK still keeps failed
 * lookups for a while (the security property {@code networkaddress.cache.negative.ttl}), so each
 * test uses a name of its own.
 */
@EnabledIfSystemProperty(named = "jdk.net.hosts.file", matches = ".+")
class EndpointAddressTest {
  private final Path hosts = Path.of(System.getProperty("jdk.net.hosts.file"));

  @BeforeEach
  void noNames() throws Exception {
    Files.writeString(hosts, "");
  }

  @Test
  void hostName_resolvesToWhatTheResolverSays() throws Exception {
    String name = "resolves.ferry.test";
    Files.writeString(hosts, "127.0.0.7 " + name + "\n");
    EndpointAddress a = new EndpointAddress(new Endpoint(name, 8080, 1));

    a.resolve();

    assertThat(a.address()).isEqualTo(address("127.0.0.7", 8080));
    assertThat(a.failure()).isNull();
  }

  @Test
  void unknownName_hasNoAddress_andSaysWhy() {
    String name = "unknown.ferry.test";
    EndpointAddress a = new EndpointAddress(new Endpoint(name, 8080, 1));

    a.resolve();

    assertThat(a.address()).isNull();
    assertThat(a.failure()).isEqualTo("cannot resolve " + name);
  }

  @Test
  void failedRefresh_keepsTheLastGoodAddress() throws Exception {
    String name = "fails-later.ferry.test";
    Files.writeString(hosts, "127.0.0.7 " + name + "\n");
    EndpointAddress a = new EndpointAddress(new Endpoint(name, 8080, 1));
    a.resolve();
    Files.writeString(hosts, ""); // the name is gone: the next lookup fails

    a.resolve();

    assertThat(a.failure()).isEqualTo("cannot resolve " + name);
    assertThat(a.address()).isEqualTo(address("127.0.0.7", 8080));
  }

  @Test
  void refreshAfterTheNameMoved_takesTheNewAddress() throws Exception {
    String name = "moves.ferry.test";
    Files.writeString(hosts, "127.0.0.7 " + name + "\n");
    EndpointAddress a = new EndpointAddress(new Endpoint(name, 8080, 1));
    a.resolve();
    Files.writeString(hosts, "127.0.0.8 " + name + "\n");

    a.resolve();

    assertThat(a.address()).isEqualTo(address("127.0.0.8", 8080));
    assertThat(a.failure()).isNull();
  }

  private static InetSocketAddress address(String ip, int port) throws Exception {
    return new InetSocketAddress(InetAddress.getByName(ip), port);
  }
}
