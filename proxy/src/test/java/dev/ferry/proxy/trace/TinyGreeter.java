package dev.ferry.proxy.trace;

import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A greeter for the tap's end-to-end tests, until testservers' ExampleServer lands: each call
 * shape, and a name of {@code fail} ends the call with NOT_FOUND.
 */
final class TinyGreeter extends GreeterGrpc.GreeterImplBase implements AutoCloseable {
  private final Server server;

  TinyGreeter() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(this)
            .maxInboundMessageSize(16 * 1024 * 1024)
            .build()
            .start();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  private static HelloReply reply(String name) {
    return HelloReply.newBuilder().setMessage("Hello, " + name + "!").build();
  }

  @Override
  public void sayHello(HelloRequest request, StreamObserver<HelloReply> response) {
    if (request.getName().equals("fail")) {
      response.onError(Status.NOT_FOUND.withDescription("no such name: fail").asException());
      return;
    }
    response.onNext(reply(request.getName()));
    response.onCompleted();
  }

  @Override
  public void sayHelloStreamReply(HelloRequest request, StreamObserver<HelloReply> response) {
    for (int i = 0; i < 3; i++) {
      response.onNext(reply(request.getName()));
    }
    response.onCompleted();
  }

  @Override
  public StreamObserver<HelloRequest> sayHelloBidiStream(StreamObserver<HelloReply> response) {
    return new StreamObserver<>() {
      @Override
      public void onNext(HelloRequest value) {
        response.onNext(reply(value.getName()));
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        response.onCompleted();
      }
    };
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
