package dev.ferry.testservers;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Honours the fault-injection headers of a call ({@code x-fail-status}, {@code x-fail-after},
 * {@code x-delay-ms}, ...) and puts the parsed {@link CallDirectives} in the call's context.
 *
 * <p>A call that asks for a failure without {@code x-fail-after}, and every call whose method
 * answers with one message (unary, client streaming), ends with the failure without reaching the
 * service, so a failed {@code Vote} counts nothing. Only a server stream with {@code x-fail-after:
 * n} (n &gt; 0) reaches the service; it fails right after its n-th message, or when the service
 * ends it sooner.
 */
final class FaultInjectionInterceptor implements ServerInterceptor {
  private final ScheduledExecutorService scheduler;

  FaultInjectionInterceptor(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    CallDirectives directives;
    try {
      directives = CallDirectives.parse(headers);
    } catch (CallDirectives.InvalidDirectiveException e) {
      call.close(Status.INVALID_ARGUMENT.withDescription(e.getMessage()), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    // Captured here: the delayed start runs on the scheduler's thread, where no call context is.
    Context context = directives.attachTo(Context.current());
    if (directives.delayMs() == 0) {
      return begin(call, headers, next, directives, context);
    }
    DelayedStartListener<ReqT> delayed = new DelayedStartListener<>();
    delayed.startAfter(
        scheduler, directives.delayMs(), () -> begin(call, headers, next, directives, context));
    return delayed;
  }

  private static <ReqT, RespT> ServerCall.Listener<ReqT> begin(
      ServerCall<ReqT, RespT> call,
      Metadata headers,
      ServerCallHandler<ReqT, RespT> next,
      CallDirectives directives,
      Context context) {
    Status failure = directives.failStatus();
    if (failure == null) {
      return Contexts.interceptCall(context, call, headers, next);
    }
    boolean serverStreams = !call.getMethodDescriptor().getType().serverSendsOneMessage();
    if (!serverStreams || directives.failAfter() == 0) {
      call.close(failure, new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(
        context, new FailAfterServerCall<>(call, failure, directives.failAfter()), headers, next);
  }
}
