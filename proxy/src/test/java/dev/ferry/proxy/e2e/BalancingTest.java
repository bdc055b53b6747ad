package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.ChatMessage;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.VoteReply;
import dev.ferry.testservers.helloworld.VoteRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BalancingTest {
  static final Metadata.Key<String> USER =
      Metadata.Key.of("x-user-id", Metadata.ASCII_STRING_MARSHALLER);

  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();

  private ManagedChannel proxied(BalancePolicy policy, int... ports) throws Exception {
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(service("helloworld.Daininki", "daininki")),
                cluster("daininki", policy, ports)));
    return fixture.channel(proxy);
  }

  @Test
  void roundRobin_splitsCallsEvenly_withinOne() throws Exception {
    ExampleServer a = fixture.example(ExampleServer.Kind.DAININKI);
    ExampleServer b = fixture.example(ExampleServer.Kind.DAININKI);
    DaininkiGrpc.DaininkiBlockingStub stub =
        DaininkiGrpc.newBlockingStub(proxied(BalancePolicy.ROUND_ROBIN, port(a), port(b)));
    Map<String, Integer> counts = new ConcurrentHashMap<>();
    for (int i = 0; i < 101; i++) {
      counts.merge(stub.vote(vote("x")).getServedBy(), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys(a.id(), b.id());
    assertThat(Math.abs(counts.get(a.id()) - counts.get(b.id()))).isLessThanOrEqualTo(1);
  }

  @Test
  void roundRobin_alternatesAcrossConnections_andReflectionLookupsTakeNoTurn() throws Exception {
    ExampleServer a = fixture.example(ExampleServer.Kind.DAININKI);
    ExampleServer b = fixture.example(ExampleServer.Kind.DAININKI);
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(service("helloworld.Daininki", "daininki")),
                cluster("daininki", BalancePolicy.ROUND_ROBIN, port(a), port(b))));
    List<String> servedBy = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      // What `ferry call` does each time: a new connection (so any event loop), a reflection
      // lookup that the proxy answers by asking the cluster, then the call.
      ManagedChannel ch = fixture.channel(proxy);
      assertThat(listServices(ch)).contains("helloworld.Daininki");
      servedBy.add(DaininkiGrpc.newBlockingStub(ch).vote(vote("x")).getServedBy());
    }
    for (int i = 1; i < servedBy.size(); i++) {
      assertThat(servedBy.get(i))
          .as("call %d of %s", i, servedBy)
          .isNotEqualTo(servedBy.get(i - 1));
    }
  }

  private static List<String> listServices(ManagedChannel ch) throws InterruptedException {
    LinkedBlockingQueue<ServerReflectionResponse> answers = new LinkedBlockingQueue<>();
    StreamObserver<ServerReflectionRequest> req =
        ServerReflectionGrpc.newStub(ch)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse r) {
                    answers.add(r);
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {}
                });
    req.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    ServerReflectionResponse r = answers.poll(10, TimeUnit.SECONDS);
    req.onCompleted();
    assertThat(r).isNotNull();
    return r.getListServicesResponse().getServiceList().stream()
        .map(ServiceResponse::getName)
        .toList();
  }

  @Test
  void leastRequest_favoursTheFastInstance() throws Exception {
    ExampleServer fast = fixture.example(ExampleServer.Kind.DAININKI);
    // ExampleServer delays only on request (x-delay-ms); this instance is slow for every call.
    TestBackend slow = fixture.slowBackend(40);
    DaininkiGrpc.DaininkiStub stub =
        DaininkiGrpc.newStub(proxied(BalancePolicy.LEAST_REQUEST, port(fast), slow.port()));
    Map<String, Integer> counts = new ConcurrentHashMap<>();
    // Keep 8 calls in flight: the slow instance holds its calls longer, so it has more in flight.
    Semaphore inFlight = new Semaphore(8);
    CountDownLatch done = new CountDownLatch(200);
    for (int i = 0; i < 200; i++) {
      inFlight.acquire();
      stub.vote(
          vote("x"),
          new StreamObserver<>() {
            @Override
            public void onNext(VoteReply r) {
              counts.merge(r.getServedBy(), 1, Integer::sum);
            }

            @Override
            public void onError(Throwable t) {
              inFlight.release();
              done.countDown();
            }

            @Override
            public void onCompleted() {
              inFlight.release();
              done.countDown();
            }
          });
    }
    assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(counts.get(fast.id())).isGreaterThan(3 * counts.getOrDefault(slow.servedBy(), 0));
  }

  @Test
  void ringHash_keepsEachUserOnOneInstance() throws Exception {
    ExampleServer a = fixture.example(ExampleServer.Kind.DAININKI);
    ExampleServer b = fixture.example(ExampleServer.Kind.DAININKI);
    ManagedChannel ch = proxied(BalancePolicy.RING_HASH, port(a), port(b));
    Map<String, String> home = new ConcurrentHashMap<>();
    for (int user = 0; user < 20; user++) {
      Metadata md = new Metadata();
      md.put(USER, "user-" + user);
      DaininkiGrpc.DaininkiBlockingStub stub =
          DaininkiGrpc.newBlockingStub(ch)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
      for (int i = 0; i < 5; i++) {
        String servedBy = stub.vote(vote("x")).getServedBy();
        assertThat(home.computeIfAbsent("user-" + user, k -> servedBy)).isEqualTo(servedBy);
      }
    }
    assertThat(home.values()).contains(a.id(), b.id());
  }

  @Test
  void backendStreamLimit_opensAnotherConnection() throws Exception {
    TestBackend limited = fixture.backend(2);
    DaininkiGrpc.DaininkiStub stub =
        DaininkiGrpc.newStub(proxied(BalancePolicy.ROUND_ROBIN, limited.port()));
    List<StreamObserver<ChatMessage>> open = new ArrayList<>();
    List<LinkedBlockingQueue<Object>> replies = new ArrayList<>();
    // Six streams open at once on a backend that allows two per connection.
    for (int i = 0; i < 6; i++) {
      LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();
      replies.add(q);
      StreamObserver<ChatMessage> req = stub.chat(CancelAndDeadlineTest.collect(q));
      req.onNext(ChatMessage.newBuilder().setText("s" + i).build());
      open.add(req);
    }
    for (int i = 0; i < 6; i++) {
      assertThat(replies.get(i).poll(10, TimeUnit.SECONDS)).isEqualTo("s" + i);
    }
    for (int i = 0; i < 6; i++) {
      open.get(i).onCompleted();
      assertThat(replies.get(i).poll(10, TimeUnit.SECONDS)).isEqualTo("END");
    }
  }

  private static int port(ExampleServer s) {
    return s.address().getPort();
  }

  private static VoteRequest vote(String c) {
    return VoteRequest.newBuilder().setCandidate(c).build();
  }
}
