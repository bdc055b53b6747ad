package dev.ferry.proxy.e2e;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.RetryInfo;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CountDownLatch;

/**
 * A Greeter whose stream sends one message, then its last only once {@code sendLast} opens, so a
 * test can see the first arrive on its own; for the name {@code fail} the stream fails after the
 * first (NOT_FOUND, "gone away"), and for {@code slow} with error details (RESOURCE_EXHAUSTED, a
 * RetryInfo of 3 s).
 */
final class GatedGreeter extends GreeterGrpc.GreeterImplBase {
  private static final com.google.rpc.Status SLOW_DOWN =
      com.google.rpc.Status.newBuilder()
          .setCode(Status.Code.RESOURCE_EXHAUSTED.value())
          .setMessage("slow down")
          .addDetails(
              Any.pack(
                  RetryInfo.newBuilder()
                      .setRetryDelay(Duration.newBuilder().setSeconds(3))
                      .build()))
          .build();

  private final CountDownLatch sendLast;

  GatedGreeter(CountDownLatch sendLast) {
    this.sendLast = sendLast;
  }

  @Override
  public void sayHelloStreamReply(HelloRequest req, StreamObserver<HelloReply> out) {
    out.onNext(HelloReply.newBuilder().setMessage("first " + req.getName()).build());
    if (req.getName().equals("fail")) {
      out.onError(Status.NOT_FOUND.withDescription("gone away").asRuntimeException());
      return;
    }
    if (req.getName().equals("slow")) {
      out.onError(StatusProto.toStatusRuntimeException(SLOW_DOWN));
      return;
    }
    new Thread(
            () -> {
              try {
                sendLast.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              out.onNext(HelloReply.newBuilder().setMessage("last " + req.getName()).build());
              out.onCompleted();
            })
        .start();
  }
}
