package dev.ferry.testservers;

import io.grpc.ServerCall;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A call listener whose real listener (and so the service's handler) is created only after a delay,
 * without holding a thread while it waits. Events that arrive before then are kept and replayed in
 * order; a call cancelled before then never reaches the service.
 *
 * <p>Nothing is asked of the transport until the handler starts, so the only events that can arrive
 * early are readiness, half-close and cancellation; the list stays tiny.
 */
final class DelayedStartListener<ReqT> extends ServerCall.Listener<ReqT> {
  // The delegate is created on the scheduler's thread while events come on the call's executor.
  private final Object lock = new Object();
  private ServerCall.Listener<ReqT> delegate;
  private final List<Consumer<ServerCall.Listener<ReqT>>> pending = new ArrayList<>();
  private boolean cancelled;
  private ScheduledFuture<?> startTask;

  void startAfter(
      ScheduledExecutorService scheduler, long delayMs, Supplier<ServerCall.Listener<ReqT>> start) {
    synchronized (lock) {
      try {
        startTask = scheduler.schedule(() -> start(start), delayMs, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException stopping) {
        // The server is closing and cancels this call anyway.
        cancelled = true;
      }
    }
  }

  private void start(Supplier<ServerCall.Listener<ReqT>> start) {
    synchronized (lock) {
      if (cancelled) {
        return;
      }
      delegate = start.get();
      for (Consumer<ServerCall.Listener<ReqT>> event : pending) {
        event.accept(delegate);
      }
      pending.clear();
    }
  }

  private void dispatch(Consumer<ServerCall.Listener<ReqT>> event) {
    synchronized (lock) {
      if (delegate == null) {
        pending.add(event);
      } else {
        event.accept(delegate);
      }
    }
  }

  @Override
  public void onMessage(ReqT message) {
    dispatch(listener -> listener.onMessage(message));
  }

  @Override
  public void onHalfClose() {
    dispatch(ServerCall.Listener::onHalfClose);
  }

  @Override
  public void onReady() {
    dispatch(ServerCall.Listener::onReady);
  }

  @Override
  public void onComplete() {
    dispatch(ServerCall.Listener::onComplete);
  }

  @Override
  public void onCancel() {
    synchronized (lock) {
      if (delegate == null) {
        cancelled = true;
        pending.clear();
        if (startTask != null) {
          startTask.cancel(false);
        }
        return;
      }
    }
    dispatch(ServerCall.Listener::onCancel);
  }
}
