package dev.ferry.cli.browser;

import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CountDownLatch;

/**
 * A Greeter for browser pages whose test decides when a stream ends: SayHello answers (or fails
 * with NOT_FOUND for the name "fail"), SayHelloAgain never answers (only a deadline ends it), and
 * SayHelloStreamReply sends its first message at once and its last only once {@code sendLast} is
 * counted down, so that a page can be seen holding the first while the stream is still open.
 */
public final class GatedGreeter extends GreeterGrpc.GreeterImplBase {
  private final CountDownLatch sendLast;

  public GatedGreeter(CountDownLatch sendLast) {
    this.sendLast = sendLast;
  }

  @Override
  public void sayHello(HelloRequest req, StreamObserver<HelloReply> reply) {
    if (req.getName().equals("fail")) {
      reply.onError(Status.NOT_FOUND.withDescription("no greeting for fail").asException());
      return;
    }
    reply.onNext(HelloReply.newBuilder().setMessage("Hello, " + req.getName() + "!").build());
    reply.onCompleted();
  }

  @Override
  public void sayHelloAgain(HelloRequest req, StreamObserver<HelloReply> reply) {}

  @Override
  public void sayHelloStreamReply(HelloRequest req, StreamObserver<HelloReply> reply) {
    reply.onNext(HelloReply.newBuilder().setMessage("first " + req.getName()).build());
    Thread last =
        new Thread(
            () -> {
              try {
                sendLast.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              reply.onNext(HelloReply.newBuilder().setMessage("last " + req.getName()).build());
              reply.onCompleted();
            },
            "gated-greeter-last");
    last.setDaemon(true);
    last.start();
  }
}
