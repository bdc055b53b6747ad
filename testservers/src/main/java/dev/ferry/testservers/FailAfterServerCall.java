package dev.ferry.testservers;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

/**
 * A server call that lets the service send a fixed number of messages and then ends the call with
 * an injected status ({@code x-fail-after}); if the service ends the call sooner, the injected
 * status replaces whatever it ended with.
 *
 * <p>Once ended, it reports itself cancelled, so a service that streams on a timer stops, and it
 * drops whatever the service still sends.
 */
final class FailAfterServerCall<ReqT, RespT>
    extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {
  private final Status failure;
  private final int failAfter;
  private int sent;
  private volatile boolean ended;

  FailAfterServerCall(ServerCall<ReqT, RespT> call, Status failure, int failAfter) {
    super(call);
    this.failure = failure;
    this.failAfter = failAfter;
  }

  @Override
  public void sendHeaders(Metadata headers) {
    if (!ended) {
      super.sendHeaders(headers);
    }
  }

  @Override
  public void sendMessage(RespT message) {
    if (ended) {
      return;
    }
    super.sendMessage(message);
    if (++sent >= failAfter) {
      end();
    }
  }

  @Override
  public void close(Status status, Metadata trailers) {
    if (!ended) {
      end();
    }
  }

  @Override
  public boolean isCancelled() {
    return ended || super.isCancelled();
  }

  private void end() {
    ended = true;
    super.close(failure, new Metadata());
  }
}
