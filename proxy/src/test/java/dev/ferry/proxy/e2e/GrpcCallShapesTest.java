package dev.ferry.proxy.e2e;

import static dev.ferry.proxy.e2e.ProxyFixture.cluster;
import static dev.ferry.proxy.e2e.ProxyFixture.config;
import static dev.ferry.proxy.e2e.ProxyFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import dev.ferry.testservers.ExampleServer;
import dev.ferry.testservers.helloworld.ChatMessage;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import dev.ferry.testservers.helloworld.VoteRequest;
import dev.ferry.testservers.helloworld.VoteTally;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GrpcCallShapesTest {
  static final Metadata.Key<String> LOCAL_REPLY =
      Metadata.Key.of("ferry-local-reply", Metadata.ASCII_STRING_MARSHALLER);

  static final Metadata.Key<String> FAIL_MESSAGE =
      Metadata.Key.of("x-fail-message", Metadata.ASCII_STRING_MARSHALLER);

  @RegisterExtension final ProxyFixture fixture = new ProxyFixture();
  private ManagedChannel channel;

  @BeforeEach
  void setUp() throws Exception {
    ExampleServer greeter = fixture.example(ExampleServer.Kind.GREETER);
    ExampleServer daininki = fixture.example(ExampleServer.Kind.DAININKI);
    ProxyServer proxy =
        fixture.proxy(
            config(
                List.of(
                    service("helloworld.Greeter", "greeter"),
                    service("helloworld.Daininki", "daininki")),
                cluster("greeter", BalancePolicy.ROUND_ROBIN, greeter.address().getPort()),
                cluster("daininki", BalancePolicy.ROUND_ROBIN, daininki.address().getPort())));
    channel = fixture.channel(proxy);
  }

  @Test
  void unaryCall_passesThrough() {
    HelloReply reply =
        GreeterGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .sayHello(HelloRequest.newBuilder().setName("ferry").build());
    assertThat(reply.getMessage()).isEqualTo("Hello, ferry!");
  }

  @Test
  void manyUnaryCalls_onOneConnection_allSucceed() {
    GreeterGrpc.GreeterBlockingStub stub = GreeterGrpc.newBlockingStub(channel);
    for (int i = 0; i < 200; i++) {
      assertThat(stub.sayHello(HelloRequest.newBuilder().setName("n" + i).build()).getMessage())
          .isEqualTo("Hello, n" + i + "!");
    }
  }

  @Test
  void serverStreaming_deliversEveryMessage() {
    List<String> got = new ArrayList<>();
    GreeterGrpc.newBlockingStub(channel)
        .sayHelloStreamReply(HelloRequest.newBuilder().setName("s").build())
        .forEachRemaining(r -> got.add(r.getMessage()));
    assertThat(got).containsExactly("Hello, s! (1/3)", "Hello, s! (2/3)", "Hello, s! (3/3)");
  }

  @Test
  void clientStreaming_getsTallyAtEnd() throws Exception {
    CompletableFuture<VoteTally> result = new CompletableFuture<>();
    StreamObserver<VoteRequest> req = DaininkiGrpc.newStub(channel).bulkVote(observer(result));
    for (String c : List.of("a", "b", "a")) {
      req.onNext(VoteRequest.newBuilder().setCandidate(c).build());
    }
    req.onCompleted();
    VoteTally tally = result.get(10, TimeUnit.SECONDS);
    assertThat(tally.getTotal()).isEqualTo(3);
    assertThat(tally.getVotesMap()).containsEntry("a", 2L).containsEntry("b", 1L);
  }

  @Test
  void bidiStreaming_echoesEachMessageAsItArrives() throws Exception {
    LinkedBlockingQueue<Object> got = new LinkedBlockingQueue<>();
    StreamObserver<ChatMessage> req =
        DaininkiGrpc.newStub(channel)
            .chat(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ChatMessage m) {
                    got.add(m.getText());
                  }

                  @Override
                  public void onError(Throwable t) {
                    got.add(t);
                  }

                  @Override
                  public void onCompleted() {
                    got.add("END");
                  }
                });
    for (int i = 0; i < 5; i++) {
      req.onNext(ChatMessage.newBuilder().setText("m" + i).build());
      // Each answer arrives before the next message is sent: the proxy does not hold messages back.
      assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("m" + i);
    }
    req.onCompleted();
    assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("END");
  }

  @Test
  void backendError_statusAndMessagePassThrough() {
    Metadata md = new Metadata();
    md.put(TestBackend.FAIL_STATUS, "7");
    md.put(FAIL_MESSAGE, "not you");
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                GreeterGrpc.newBlockingStub(channel)
                    .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(md))
                    .sayHello(HelloRequest.newBuilder().setName("x").build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(e.getStatus().getDescription()).isEqualTo("not you");
    assertThat(e.getTrailers().get(LOCAL_REPLY)).isNull();
  }

  static <T> StreamObserver<T> observer(CompletableFuture<T> result) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        result.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    };
  }
}
