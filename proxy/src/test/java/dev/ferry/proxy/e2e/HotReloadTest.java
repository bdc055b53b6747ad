package dev.ferry.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ConfigLoader;
import dev.ferry.proxy.reload.ConfigReloader;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.ChatMessage;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.VoteRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Reloading the config file while calls run: routing changes, no call or connection is lost. */
class HotReloadTest {
  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  @TempDir Path dir;

  /** A reload waits for the watcher's quiet time and a load round on a busy machine. */
  private static final Duration RELOAD_WAIT = Duration.ofSeconds(20);

  private static String config(String cluster, int portA, int portB) {
    return """
        listeners:
          - address: 127.0.0.1:0
            routes:
              - match: { service: helloworld.Daininki }
                cluster: %s
        clusters:
          a: { endpoints: [127.0.0.1:%d] }
          b: { endpoints: [127.0.0.1:%d] }
        """
        .formatted(cluster, portA, portB);
  }

  /** Replaces the file in one step, as config management does. */
  private void write(Path file, String yaml) throws Exception {
    Path tmp = Files.createTempFile(dir, "next", ".yaml.tmp");
    Files.writeString(tmp, yaml);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void fileChangeUnderLoad_switchesRouting_andLosesNoCallNorTheStreamInFlight() throws Exception {
    ExampleServer a = fixture.example(ExampleServer.Kind.DAININKI);
    ExampleServer b = fixture.example(ExampleServer.Kind.DAININKI);
    Path file = dir.resolve("ferry.yaml");
    Files.writeString(file, config("a", a.address().getPort(), b.address().getPort()));
    ProxyServer proxy = fixture.proxy(ConfigLoader.load(file));
    fixture.closeLater(ConfigReloader.watch(file, proxy));
    ManagedChannel ch = fixture.channel(proxy);

    // A stream that is open across the reload: it stays on a.
    LinkedBlockingQueue<ChatMessage> echoes = new LinkedBlockingQueue<>();
    CompletableFuture<Void> chatDone = new CompletableFuture<>();
    StreamObserver<ChatMessage> chat =
        DaininkiGrpc.newStub(ch)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .chat(observer(echoes, chatDone));
    chat.onNext(ChatMessage.newBuilder().setText("before").build());
    assertThat(echoes.poll(10, TimeUnit.SECONDS).getServedBy()).isEqualTo(a.id());

    // Continuous load: every call's status and server are counted.
    AtomicBoolean stop = new AtomicBoolean();
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    List<Thread> load = new ArrayList<>();
    var stub = DaininkiGrpc.newBlockingStub(ch);
    for (int t = 0; t < 4; t++) {
      Thread th =
          new Thread(
              () -> {
                while (!stop.get()) {
                  String outcome;
                  try {
                    outcome =
                        stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                            .vote(VoteRequest.newBuilder().setCandidate("x").build())
                            .getServedBy();
                  } catch (StatusRuntimeException e) {
                    outcome = e.getStatus().getCode().toString();
                  }
                  outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                }
              });
      th.start();
      load.add(th);
    }
    await().atMost(RELOAD_WAIT).until(() -> outcomes.containsKey(a.id()));

    write(file, config("b", a.address().getPort(), b.address().getPort()));
    await().atMost(RELOAD_WAIT).until(() -> outcomes.containsKey(b.id()));
    int afterSwitch = outcomes.get(b.id()).get();
    await().atMost(RELOAD_WAIT).until(() -> outcomes.get(b.id()).get() > afterSwitch + 20);
    stop.set(true);
    for (Thread th : load) {
      th.join(10_000);
    }

    chat.onNext(ChatMessage.newBuilder().setText("after").build());
    assertThat(echoes.poll(10, TimeUnit.SECONDS).getServedBy()).isEqualTo(a.id());
    chat.onCompleted();
    chatDone.get(10, TimeUnit.SECONDS);

    assertThat(outcomes.keySet()).containsExactlyInAnyOrder(a.id(), b.id());
  }

  @Test
  void badReload_isRefusedWithItsErrors_andChangesNothing() throws Exception {
    ExampleServer a = fixture.example(ExampleServer.Kind.DAININKI);
    ExampleServer b = fixture.example(ExampleServer.Kind.DAININKI);
    Path file = dir.resolve("ferry.yaml");
    Files.writeString(file, config("a", a.address().getPort(), b.address().getPort()));
    ProxyServer proxy = fixture.proxy(ConfigLoader.load(file));
    ConfigReloader reloader = fixture.closeLater(ConfigReloader.watch(file, proxy));
    var before = proxy.config();

    Files.writeString(file, config("c", a.address().getPort(), b.address().getPort()));
    ConfigReloader.Outcome bad = reloader.reloadNow();

    assertThat(bad.applied()).isFalse();
    assertThat(bad.errors())
        .containsExactly(
            file.toAbsolutePath()
                + ":5:9: listeners[0].routes[0].cluster: no cluster named 'c' (did you mean"
                + " 'a'?)");
    assertThat(proxy.config()).isSameAs(before);
    assertThat(
            DaininkiGrpc.newBlockingStub(fixture.channel(proxy))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .vote(VoteRequest.newBuilder().setCandidate("x").build())
                .getServedBy())
        .isEqualTo(a.id());
  }

  @Test
  void reloadChangingOnlyRoutes_keepsTheClustersAndTheirConnections() throws Exception {
    ExampleServer a = fixture.example(ExampleServer.Kind.DAININKI);
    ExampleServer b = fixture.example(ExampleServer.Kind.DAININKI);
    Path file = dir.resolve("ferry.yaml");
    Files.writeString(file, config("a", a.address().getPort(), b.address().getPort()));
    ProxyServer proxy = fixture.proxy(ConfigLoader.load(file));
    ConfigReloader reloader = fixture.closeLater(ConfigReloader.watch(file, proxy));
    var stub = DaininkiGrpc.newBlockingStub(fixture.channel(proxy));
    stub.withDeadlineAfter(10, TimeUnit.SECONDS)
        .vote(VoteRequest.newBuilder().setCandidate("x").build());

    Files.writeString(file, config("b", a.address().getPort(), b.address().getPort()));
    ConfigReloader.Outcome ok = reloader.reloadNow();

    assertThat(ok.applied()).isTrue();
    assertThat(ok.summary()).contains("replaced [], removed [], kept [a, b]");
    assertThat(
            proxy.endpointStats().stream()
                .filter(e -> e.cluster().equals("a"))
                .findFirst()
                .orElseThrow()
                .connections())
        .isEqualTo(1);
    assertThat(
            stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                .vote(VoteRequest.newBuilder().setCandidate("x").build())
                .getServedBy())
        .isEqualTo(b.id());
  }

  @Test
  void replacedCluster_letsItsStreamInFlightFinish_whileNewCallsGoToItsNewEndpoints()
      throws Exception {
    ExampleServer a = fixture.example(ExampleServer.Kind.DAININKI);
    ExampleServer b = fixture.example(ExampleServer.Kind.DAININKI);
    Path file = dir.resolve("ferry.yaml");
    Files.writeString(file, config("a", a.address().getPort(), b.address().getPort()));
    ProxyServer proxy = fixture.proxy(ConfigLoader.load(file));
    ConfigReloader reloader = fixture.closeLater(ConfigReloader.watch(file, proxy));
    ManagedChannel ch = fixture.channel(proxy);
    LinkedBlockingQueue<ChatMessage> echoes = new LinkedBlockingQueue<>();
    CompletableFuture<Void> chatDone = new CompletableFuture<>();
    StreamObserver<ChatMessage> chat =
        DaininkiGrpc.newStub(ch)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .chat(observer(echoes, chatDone));
    chat.onNext(ChatMessage.newBuilder().setText("before").build());
    assertThat(echoes.poll(10, TimeUnit.SECONDS).getServedBy()).isEqualTo(a.id());

    // Cluster a now means b's address: a new cluster; the old one retires once idle.
    Files.writeString(file, config("a", b.address().getPort(), b.address().getPort()));
    assertThat(reloader.reloadNow().summary()).contains("replaced [a]");

    assertThat(
            DaininkiGrpc.newBlockingStub(ch)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .vote(VoteRequest.newBuilder().setCandidate("x").build())
                .getServedBy())
        .isEqualTo(b.id());
    chat.onNext(ChatMessage.newBuilder().setText("after").build());
    assertThat(echoes.poll(10, TimeUnit.SECONDS).getServedBy()).isEqualTo(a.id());
    chat.onCompleted();
    chatDone.get(10, TimeUnit.SECONDS);
  }

  @Test
  void reloadMovingAListener_isRefused() throws Exception {
    ExampleServer a = fixture.example(ExampleServer.Kind.DAININKI);
    Path file = dir.resolve("ferry.yaml");
    Files.writeString(file, config("a", a.address().getPort(), a.address().getPort() + 1));
    ProxyServer proxy = fixture.proxy(ConfigLoader.load(file));
    ConfigReloader reloader = fixture.closeLater(ConfigReloader.watch(file, proxy));
    Files.writeString(
        file,
        config("a", a.address().getPort(), a.address().getPort() + 1)
            .replace("127.0.0.1:0", "127.0.0.1:1"));

    ConfigReloader.Outcome r = reloader.reloadNow();

    assertThat(r.applied()).isFalse();
    assertThat(r.errors().get(0)).contains("listeners: addresses changed");
  }

  private static <T> StreamObserver<T> observer(
      LinkedBlockingQueue<T> into, CompletableFuture<Void> done) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        into.add(value);
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.complete(null);
      }
    };
  }
}
