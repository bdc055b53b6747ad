package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.ChatMessage;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.stub.StreamObserver;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RobustnessTest {
  static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private ProxyServer proxy;
  private int port;

  @BeforeEach
  void setUp() throws Exception {
    ExampleServer daininki = fixture.example(ExampleServer.Kind.DAININKI);
    proxy =
        fixture.proxy(
            new ProxyConfig(
                List.of(
                    ListenerConfig.builder(
                            "127.0.0.1", 0, List.of(service("helloworld.Daininki", "d")))
                        .idleTimeout(Duration.ofMillis(300))
                        .build()),
                Map.of("d", cluster("d", BalancePolicy.ROUND_ROBIN, daininki.address().getPort())),
                null,
                Duration.ofSeconds(1)));
    port = proxy.boundAddresses().get(0).getPort();
  }

  /** Reads until the proxy closes the connection; fails if it does not within 10 s. */
  private static void awaitClosed(Socket s) throws Exception {
    s.setSoTimeout(10_000);
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    while (in.read(buf) >= 0) {
      // drain whatever the proxy says (SETTINGS, GOAWAY) until it closes
    }
  }

  @Test
  void backendRecyclingItsConnections_withGoaway_failsNoCall() throws Exception {
    TestBackend recycling = fixture.closeLater(TestBackend.startRecycling(50));
    ProxyServer p =
        fixture.proxy(
            ProxyFixture.config(
                List.of(service("helloworld.Greeter", "g")),
                ProxyFixture.clusterWithRetries(
                    "g", BalancePolicy.ROUND_ROBIN, 2, recycling.port())));
    GreeterGrpc.GreeterStub stub = GreeterGrpc.newStub(fixture.channel(p));
    int calls = 400;
    CountDownLatch done = new CountDownLatch(calls);
    AtomicInteger failed = new AtomicInteger();
    Semaphore window = new Semaphore(16);
    for (int i = 0; i < calls; i++) {
      window.acquire();
      stub.sayHello(
          HelloRequest.newBuilder().setName("g" + i).build(),
          new StreamObserver<>() {
            @Override
            public void onNext(HelloReply r) {}

            @Override
            public void onError(Throwable t) {
              failed.incrementAndGet();
              window.release();
              done.countDown();
            }

            @Override
            public void onCompleted() {
              window.release();
              done.countDown();
            }
          });
    }
    assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(failed.get()).isZero();
  }

  @Test
  void garbageFrame_afterPreface_closesTheConnection() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(PREFACE);
      // A frame header claiming a 16 MiB DATA frame on stream 0: a connection error.
      out.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0, 0});
      out.flush();
      awaitClosed(s);
    }
  }

  @Test
  void hugeHttp1Header_getsAnErrorAndClose() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      String big = "x".repeat(100_000);
      out.write(
          ("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + big + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      s.setSoTimeout(10_000);
      byte[] head = s.getInputStream().readNBytes(12);
      assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 400");
      awaitClosed(s);
    }
  }

  @Test
  void idleConnection_isClosed_butAQuietStreamIsNot() throws Exception {
    LinkedBlockingQueue<Object> got = new LinkedBlockingQueue<>();
    StreamObserver<ChatMessage> chat =
        DaininkiGrpc.newStub(fixture.channel(proxy)).chat(CancelAndDeadlineTest.collect(got));
    chat.onNext(ChatMessage.newBuilder().setText("before").build());
    assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("before");
    // An idle connection beside it is closed once the idle timeout has passed ...
    try (Socket idle = new Socket("127.0.0.1", port)) {
      idle.getOutputStream().write(PREFACE);
      idle.getOutputStream().write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // empty SETTINGS
      awaitClosed(idle);
    }
    // ... while the quiet stream, older than that, still works.
    chat.onNext(ChatMessage.newBuilder().setText("after").build());
    assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("after");
    chat.onCompleted();
    assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("END");
  }
}
