package dev.ferry.testservers;

import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ScheduledExecutorService;

/**
 * helloworld.Greeter with grpc's example texts, so grpc's own example clients print what they
 * expect: {@code Hello, <name>!} and {@code Hello again, <name>!}.
 */
final class GreeterService extends GreeterGrpc.GreeterImplBase {
  private final ScheduledExecutorService scheduler;

  GreeterService(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  static String hello(String name) {
    return "Hello, " + name + "!";
  }

  @Override
  public void sayHello(HelloRequest request, StreamObserver<HelloReply> replies) {
    replies.onNext(reply(hello(request.getName())));
    replies.onCompleted();
  }

  /** SayHello's answer, for HTTP/JSON clients: {@code GET /v1/greeter/{name}}. */
  @Override
  public void sayHelloHttp(HelloRequest request, StreamObserver<HelloReply> replies) {
    sayHello(request, replies);
  }

  @Override
  public void sayHelloAgain(HelloRequest request, StreamObserver<HelloReply> replies) {
    replies.onNext(reply("Hello again, " + request.getName() + "!"));
    replies.onCompleted();
  }

  /**
   * {@code x-stream-count} replies ({@code Hello, bob! (1/3)}), {@code x-stream-interval-ms} apart.
   */
  @Override
  public void sayHelloStreamReply(HelloRequest request, StreamObserver<HelloReply> replies) {
    CallDirectives directives = CallDirectives.current();
    int count = directives.streamCount();
    String hello = hello(request.getName());
    new PacedReplies<>(
            (ServerCallStreamObserver<HelloReply>) replies,
            scheduler,
            count,
            directives.streamIntervalMs(),
            i -> reply(hello + " (" + i + "/" + count + ")"))
        .start();
  }

  @Override
  public StreamObserver<HelloRequest> sayHelloBidiStream(StreamObserver<HelloReply> replies) {
    return new StreamObserver<>() {
      @Override
      public void onNext(HelloRequest request) {
        replies.onNext(reply(hello(request.getName())));
      }

      @Override
      public void onError(Throwable clientGone) {
        // The client cancelled: there is nobody left to answer.
      }

      @Override
      public void onCompleted() {
        replies.onCompleted();
      }
    };
  }

  private static HelloReply reply(String message) {
    return HelloReply.newBuilder().setMessage(message).build();
  }
}
