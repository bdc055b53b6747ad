package dev.ferry.testservers;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Sends a server stream's replies one by one, a fixed interval apart, then completes it.
 *
 * <p>It waits on a timer, never on a gRPC thread, and honours flow control: when the transport is
 * not ready it stops and resumes on the stream's ready signal, so a client asking for a million
 * replies costs a window, not the heap. Start it from the service method, which must register the
 * handlers before it returns.
 */
final class PacedReplies<T> {
  private final ServerCallStreamObserver<T> observer;
  private final ScheduledExecutorService scheduler;
  private final int count;
  private final long intervalMs;
  private final IntFunction<T> replyNumber;

  // Guarded by this: pump runs from the service method, the ready handler and the timer.
  private int sent;
  private boolean finished;
  private boolean waitingForTimer;

  /**
   * @param replyNumber makes reply {@code i} of {@code count}, counting from 1
   */
  PacedReplies(
      ServerCallStreamObserver<T> observer,
      ScheduledExecutorService scheduler,
      int count,
      long intervalMs,
      IntFunction<T> replyNumber) {
    this.observer = observer;
    this.scheduler = scheduler;
    this.count = count;
    this.intervalMs = intervalMs;
    this.replyNumber = replyNumber;
  }

  void start() {
    observer.setOnCancelHandler(this::stop);
    observer.setOnReadyHandler(this::pump);
    pump();
  }

  private synchronized void stop() {
    finished = true;
  }

  private synchronized void timerFired() {
    waitingForTimer = false;
    pump();
  }

  private synchronized void pump() {
    while (!finished && !waitingForTimer) {
      if (observer.isCancelled()) {
        finished = true;
      } else if (sent == count) {
        finished = true;
        observer.onCompleted();
      } else if (!observer.isReady()) {
        return;
      } else {
        observer.onNext(replyNumber.apply(++sent));
        if (intervalMs > 0 && sent < count) {
          scheduleNext();
        }
      }
    }
  }

  private void scheduleNext() {
    try {
      scheduler.schedule(this::timerFired, intervalMs, TimeUnit.MILLISECONDS);
      waitingForTimer = true;
    } catch (RejectedExecutionException stopping) {
      // The server is closing and cancels this call anyway.
      finished = true;
    }
  }
}
