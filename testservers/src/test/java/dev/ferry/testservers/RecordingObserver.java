package dev.ferry.testservers;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records what a call sends back, so a test can wait for each message as it arrives and for the
 * final status, never sleeping.
 */
final class RecordingObserver<T> implements StreamObserver<T> {
  private static final long WAIT_SECONDS = 10;

  private final BlockingQueue<T> unread = new LinkedBlockingQueue<>();
  private final List<T> all = new ArrayList<>();
  private final CompletableFuture<Status> end = new CompletableFuture<>();

  @Override
  public synchronized void onNext(T value) {
    all.add(value);
    unread.add(value);
  }

  @Override
  public void onError(Throwable t) {
    end.complete(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    end.complete(Status.OK);
  }

  /** The next message not read yet, waiting for it to arrive. */
  T next() throws InterruptedException {
    T value = unread.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(value).as("a message within %ss", WAIT_SECONDS).isNotNull();
    return value;
  }

  /** The status the call ended with, waiting for the end. */
  Status status() throws Exception {
    return end.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** Every message of the call, once it has ended. */
  List<T> messages() throws Exception {
    status();
    synchronized (this) {
      return List.copyOf(all);
    }
  }
}
