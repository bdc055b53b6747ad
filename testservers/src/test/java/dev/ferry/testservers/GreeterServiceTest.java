package dev.ferry.testservers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GreeterServiceTest {
  @RegisterExtension final RunningServers servers = new RunningServers();

  private GreeterGrpc.GreeterBlockingStub blocking;
  private GreeterGrpc.GreeterStub async;

  @BeforeEach
  void startGreeter() {
    ManagedChannel channel = servers.plaintextChannel(servers.start(ExampleServer.Kind.GREETER));
    blocking = GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    async = GreeterGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @Test
  void sayHello_answersWithGrpcExampleText() {
    assertThat(blocking.sayHello(named("you")).getMessage()).isEqualTo("Hello, you!");
  }

  @Test
  void sayHelloAgain_answersWithGrpcExampleText() {
    assertThat(blocking.sayHelloAgain(named("you")).getMessage()).isEqualTo("Hello again, you!");
  }

  @Test
  void sayHelloStreamReply_sendsThreeNumberedGreetingsByDefault() {
    List<String> messages = new ArrayList<>();
    blocking.sayHelloStreamReply(named("bob")).forEachRemaining(r -> messages.add(r.getMessage()));

    assertThat(messages)
        .containsExactly("Hello, bob! (1/3)", "Hello, bob! (2/3)", "Hello, bob! (3/3)");
  }

  @Test
  void sayHelloBidiStream_answersEachRequestAsItArrives() throws Exception {
    CompletableFuture<String> firstAnswer = new CompletableFuture<>();
    CompletableFuture<List<String>> allAnswers = new CompletableFuture<>();
    List<String> answers = new ArrayList<>();
    StreamObserver<HelloRequest> requests =
        async.sayHelloBidiStream(
            new StreamObserver<>() {
              @Override
              public void onNext(HelloReply reply) {
                answers.add(reply.getMessage());
                firstAnswer.complete(reply.getMessage());
              }

              @Override
              public void onError(Throwable t) {
                allAnswers.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                allAnswers.complete(answers);
              }
            });

    requests.onNext(named("ann"));
    // The first answer comes while the request stream is still open.
    assertThat(firstAnswer.get(10, TimeUnit.SECONDS)).isEqualTo("Hello, ann!");
    requests.onNext(named("bob"));
    requests.onCompleted();

    assertThat(allAnswers.get(10, TimeUnit.SECONDS)).containsExactly("Hello, ann!", "Hello, bob!");
  }

  static HelloRequest named(String name) {
    return HelloRequest.newBuilder().setName(name).build();
  }
}
