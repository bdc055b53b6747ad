package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ListenerLimits;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.ManagedChannel;
import io.netty.handler.codec.http2.Http2Error;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each abuse case from a raw HTTP/2 client: only the offending connection is closed (GOAWAY with a
 * reason), while a well-behaved grpc-java client on another connection keeps its answers.
 */
class AbuseTest {
  /**
   * The header-read timer runs from a connection's start until its first request is read, and a
   * refused header block does not stop it: a short timeout here would race every test's first
   * request (the good client's on a cold JVM, a 431 on a loaded machine). Only the test of the
   * timer itself gets a short one.
   */
  static final ListenerLimits LIMITS = withHeaderReadTimeout(Duration.ofMinutes(1));

  private static ListenerLimits withHeaderReadTimeout(Duration timeout) {
    return new ListenerLimits(4, 2, 16 << 10, timeout, 500, 100, 100);
  }

  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private TestBackend backend;
  private ProxyServer proxy;
  private ManagedChannel good;
  private int port;

  @BeforeEach
  void setUp() throws Exception {
    backend = fixture.backend();
    port = startProxy(LIMITS);
    good = fixture.channel(proxy);
    assertGoodClientServed();
  }

  /** Starts the proxy under test with {@code limits} on its listener; returns its port. */
  private int startProxy(ListenerLimits limits) throws Exception {
    ListenerConfig l =
        ListenerConfig.builder("127.0.0.1", 0, List.of(service("helloworld.Greeter", "greeter")))
            .idleTimeout(Duration.ZERO)
            .limits(limits)
            .build();
    proxy =
        fixture.proxy(
            new ProxyConfig(
                List.of(l),
                Map.of("greeter", cluster("greeter", BalancePolicy.ROUND_ROBIN, backend.port())),
                null,
                Duration.ofSeconds(1)));
    return proxy.boundAddresses().get(0).getPort();
  }

  private void assertGoodClientServed() {
    assertThat(
            GreeterGrpc.newBlockingStub(good)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .sayHello(HelloRequest.newBuilder().setName("good").build())
                .getMessage())
        .isEqualTo("Hello, good!");
  }

  private RawHttp2Client raw() throws Exception {
    return fixture.closeLater(new RawHttp2Client(port)).preface();
  }

  private static void assertCalmedDown(RawHttp2Client.Frame goAway) {
    assertThat(goAway).as("GOAWAY").isNotNull();
    assertThat(goAway.errorCode()).isEqualTo((int) Http2Error.ENHANCE_YOUR_CALM.code());
  }

  @Test
  void rapidReset_getsGoAway_andDoesNotBecomeAStormOfUpstreamStreams() throws Exception {
    RawHttp2Client c = raw();
    int baseline = backend.seenHeaders.size();
    for (int i = 0; i < 1000; i++) {
      int id = 1 + 2 * i;
      c.headers(id, RawHttp2Client.sayHello(), false).rst(id);
      if (i % 50 == 49) {
        c.flush();
      }
    }
    c.flush();

    RawHttp2Client.Frame goAway = c.await(RawHttp2Client.GOAWAY);

    assertCalmedDown(goAway);
    assertThat(c.awaitClose()).isTrue();
    assertGoodClientServed();
    // A stream reset in the same read as its HEADERS never becomes a backend stream: only pairs
    // that a TCP read boundary splits can (1 of 1000 on a quiet machine, ~60 on a loaded one,
    // against ~400 without the shield), and never more than the allowed resets.
    int reached = backend.seenHeaders.size() - baseline - 1;
    assertThat(reached).isLessThan(LIMITS.maxResets() / 2);
  }

  @Test
  void pingFlood_getsGoAwayNamingIt() throws Exception {
    RawHttp2Client c = raw();
    for (int i = 0; i < 500; i++) {
      c.ping(i);
    }
    c.flush();

    RawHttp2Client.Frame goAway = c.await(RawHttp2Client.GOAWAY);

    assertCalmedDown(goAway);
    assertThat(goAway.debugData())
        .startsWith("PING flood: more than 100 PING/SETTINGS frames in 10s");
    assertGoodClientServed();
  }

  @Test
  void settingsFlood_getsGoAway() throws Exception {
    RawHttp2Client c = raw();
    for (int i = 0; i < 500; i++) {
      c.settings();
    }
    c.flush();

    RawHttp2Client.Frame goAway = c.await(RawHttp2Client.GOAWAY);

    assertCalmedDown(goAway);
    assertThat(goAway.debugData()).startsWith("SETTINGS flood");
    assertGoodClientServed();
  }

  @Test
  void emptyDataFlood_getsGoAway() throws Exception {
    RawHttp2Client c = raw();
    c.headers(1, RawHttp2Client.sayHello(), false);
    for (int i = 0; i < 500; i++) {
      c.emptyData(1);
    }
    c.flush();

    assertCalmedDown(c.await(RawHttp2Client.GOAWAY));
    assertGoodClientServed();
  }

  @Test
  void continuationFlood_getsGoAway() throws Exception {
    RawHttp2Client c = raw();
    c.openHeaderBlock(1);
    for (int i = 0; i < 10_000; i++) {
      c.continuation(1, new byte[0]);
      if (i % 1000 == 999) {
        c.flush();
      }
    }
    c.flush();

    RawHttp2Client.Frame goAway = c.await(RawHttp2Client.GOAWAY);

    assertThat(goAway).as("GOAWAY").isNotNull();
    assertThat(c.awaitClose()).isTrue();
    assertGoodClientServed();
  }

  @Test
  void prefaceThenDribble_isClosedByTheHeaderReadTimer() throws Exception {
    port = startProxy(withHeaderReadTimeout(Duration.ofSeconds(2)));
    good = fixture.channel(proxy);
    assertGoodClientServed(); // its first request stops the timer of its own connection
    RawHttp2Client c = raw();
    // Half a frame header, then nothing: the server must not wait for the rest forever.
    c.frame(0x1, 0, 1, new byte[0]);

    List<Integer> said = new ArrayList<>();
    for (RawHttp2Client.Frame f = c.next(); f != null; f = c.next()) {
      said.add(f.type());
    }

    // Closed without a GOAWAY: not refused as a protocol error, but by the timer (whose timing
    // HeaderReadTimeoutHandlerTest checks on a fake clock).
    assertThat(said).contains(RawHttp2Client.SETTINGS).doesNotContain(RawHttp2Client.GOAWAY);
    assertGoodClientServed();
  }

  @Test
  void streamsBeyondTheLimit_areRefusedAtOnce() throws Exception {
    RawHttp2Client c = raw();
    // Two streams left open (no END_STREAM): the listener's limit is 2.
    c.headers(1, RawHttp2Client.sayHello(), false).headers(3, RawHttp2Client.sayHello(), false);
    c.headers(5, RawHttp2Client.sayHello(), false).flush();

    RawHttp2Client.Frame rst = c.await(RawHttp2Client.RST_STREAM);

    assertThat(rst).isNotNull();
    assertThat(rst.streamId()).isEqualTo(5);
    assertThat(rst.errorCode()).isEqualTo((int) Http2Error.REFUSED_STREAM.code());
    assertGoodClientServed();
  }

  @Test
  void headersOverTheLimit_areAnswered431_andTheConnectionStays() throws Exception {
    RawHttp2Client c = raw();
    // Over the 16 KiB limit, under Netty's GOAWAY threshold (limit + a quarter).
    c.headers(1, RawHttp2Client.sayHello().set("x-big", "x".repeat(18_000)), true).flush();

    RawHttp2Client.Frame refused = c.await(RawHttp2Client.HEADERS);

    assertThat(refused).as("response HEADERS").isNotNull();
    assertThat(refused.streamId()).isEqualTo(1);
    assertThat(c.decodeHeaders(refused).status()).hasToString("431");
    // The same connection still carries the next request.
    c.headers(3, RawHttp2Client.sayHello(), true).flush();
    RawHttp2Client.Frame next = c.await(RawHttp2Client.HEADERS);
    assertThat(next).as("HEADERS of the next request").isNotNull();
    assertThat(next.streamId()).isEqualTo(3);
    assertGoodClientServed();
  }

  @Test
  void headersFarOverTheLimit_closeTheConnection() throws Exception {
    RawHttp2Client c = raw();
    c.headers(1, RawHttp2Client.sayHello().set("x-big", "x".repeat(100_000)), true).flush();

    assertThat(c.awaitClose()).isTrue();
    assertGoodClientServed();
  }

  @Test
  void connectionsBeyondTheLimit_areClosedAsTheyArrive() throws Exception {
    // The good client holds one of the 4.
    RawHttp2Client a = raw();
    RawHttp2Client b = raw();
    RawHttp2Client c = raw();
    RawHttp2Client d = fixture.closeLater(new RawHttp2Client(port));

    assertThat(d.awaitClose()).isTrue();
    assertGoodClientServed();
    assertThat(List.of(a, b, c)).hasSize(3);
  }
}
