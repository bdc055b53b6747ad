package dev.ferry.proxy.e2e;

import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A greeter on 127.0.0.1 that can fail every call with one status, in the shape a test asks for:
 * Trailers-Only, headers then trailers, or after one message. It counts the calls it saw.
 */
final class FailingGreeter implements AutoCloseable {
  /** How a failing call ends. */
  enum Shape {
    /** HEADERS with END_STREAM carrying the status: grpc-java's usual error. */
    TRAILERS_ONLY,
    /** Response headers, then trailers with the status, and no message between. */
    HEADERS_THEN_TRAILERS,
    /** One message, then trailers with the status. */
    AFTER_ONE_MESSAGE
  }

  private final Server server;
  private final AtomicInteger calls = new AtomicInteger();
  private volatile Status failWith;
  private volatile Shape shape = Shape.TRAILERS_ONLY;

  private FailingGreeter(Status failWith) throws IOException {
    this.failWith = failWith;
    ServerInterceptor failing =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            calls.incrementAndGet();
            Status f = FailingGreeter.this.failWith;
            if (f == null || shape == Shape.AFTER_ONE_MESSAGE) {
              return next.startCall(call, headers);
            }
            if (shape == Shape.HEADERS_THEN_TRAILERS) {
              call.sendHeaders(new Metadata());
            }
            call.close(f, new Metadata());
            return new ServerCall.Listener<>() {};
          }
        };
    this.server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(ServerInterceptors.intercept(new Greeter(), failing))
            .build()
            .start();
  }

  /** A greeter that fails every call with {@code failWith} ({@code null}: never fails). */
  static FailingGreeter start(Status failWith) throws IOException {
    return new FailingGreeter(failWith);
  }

  FailingGreeter shape(Shape s) {
    this.shape = s;
    return this;
  }

  int port() {
    return server.getPort();
  }

  int calls() {
    return calls.get();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private final class Greeter extends GreeterGrpc.GreeterImplBase {
    @Override
    public void sayHello(HelloRequest req, StreamObserver<HelloReply> out) {
      Status f = failWith;
      if (f != null) {
        out.onNext(HelloReply.newBuilder().setMessage("partial " + req.getName()).build());
        out.onError(f.asRuntimeException());
        return;
      }
      out.onNext(HelloReply.newBuilder().setMessage("Hello, " + req.getName() + "!").build());
      out.onCompleted();
    }

    @Override
    public StreamObserver<HelloRequest> sayHelloBidiStream(StreamObserver<HelloReply> out) {
      return new StreamObserver<>() {
        @Override
        public void onNext(HelloRequest req) {
          out.onNext(HelloReply.newBuilder().setMessage("Hello, " + req.getName() + "!").build());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }
  }
}
