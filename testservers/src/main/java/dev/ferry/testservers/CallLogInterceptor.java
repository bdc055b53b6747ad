package dev.ferry.testservers;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Writes one line per call when it ends: {@code greeter@50051 helloworld.Greeter/SayHello OK
 * 0.4ms}, with the status message in quotes when there is one.
 *
 * <p>Health checks ({@code grpc.health.v1.Health/Check}) are left out: a proxy in front asks every
 * few seconds and would drown the calls a person wants to see.
 */
final class CallLogInterceptor implements ServerInterceptor {
  private static final String HEALTH_CHECK = "grpc.health.v1.Health/Check";

  private final InstanceName name;
  private final Consumer<String> sink;
  private final LongSupplier nanoTime;

  CallLogInterceptor(InstanceName name, Consumer<String> sink, LongSupplier nanoTime) {
    this.name = name;
    this.sink = sink;
    this.nanoTime = nanoTime;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (method.equals(HEALTH_CHECK)) {
      return next.startCall(call, headers);
    }
    String prefix = name.of(call) + " " + method + " ";
    long start = nanoTime.getAsLong();
    // A call the server ended may still see the client's cancellation: log only the first end.
    AtomicBoolean logged = new AtomicBoolean();
    Consumer<Status> logEnd =
        status -> {
          if (logged.compareAndSet(false, true)) {
            sink.accept(prefix + describe(status, nanoTime.getAsLong() - start));
          }
        };
    ServerCall<ReqT, RespT> logging =
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            logEnd.accept(status);
            super.close(status, trailers);
          }
        };
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
        next.startCall(logging, headers)) {
      @Override
      public void onCancel() {
        // The client, its deadline, a broken connection or our own shutdown: the call can't tell.
        logEnd.accept(Status.CANCELLED);
        super.onCancel();
      }
    };
  }

  static String describe(Status status, long nanos) {
    String line =
        status.getCode() + " " + String.format(Locale.ROOT, "%.1fms", nanos / 1_000_000.0);
    return status.getDescription() == null ? line : line + " \"" + status.getDescription() + "\"";
  }
}
