package dev.ferry.cli.call;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes calls in a loop, {@code -c} at a time over {@code --connections} channels, until {@code -n}
 * calls have started or {@code --duration} has passed; optionally paced to {@code --rps}. Nothing
 * blocks a thread: each call's end starts the next one in its slot.
 */
final class LoadRunner {
  private final List<? extends Channel> channels;
  private final MethodDescriptor<DynamicMessage, DynamicMessage> method;
  private final List<DynamicMessage> requests;
  private final Metadata headers;
  private final Duration deadline;
  private final int maxInboundSize;
  private final LoadOptions options;
  private final LoadStats stats = new LoadStats();
  private final AtomicLong started = new AtomicLong();
  private final AtomicInteger activeSlots = new AtomicInteger();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final ScheduledExecutorService pacer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ferry-load-pacer");
            t.setDaemon(true);
            return t;
          });
  private long startNanos;
  private long endNanos;

  LoadRunner(
      List<? extends Channel> channels,
      Descriptors.MethodDescriptor method,
      List<DynamicMessage> requests,
      Metadata headers,
      Duration deadline,
      int maxInboundSize,
      LoadOptions options) {
    this.channels = channels;
    this.method = DynamicCall.grpcMethod(method);
    this.requests = requests;
    this.headers = headers;
    this.deadline = deadline;
    this.maxInboundSize = maxInboundSize;
    this.options = options;
  }

  /** Runs the load to its end and returns what it measured. */
  LoadStats run(Runnable onProgress) throws InterruptedException {
    startNanos = System.nanoTime();
    endNanos = options.duration == null ? Long.MAX_VALUE : startNanos + options.duration.toNanos();
    stats.start(startNanos);
    activeSlots.set(options.concurrency);
    var progress = pacer.scheduleAtFixedRate(onProgress, 250, 250, TimeUnit.MILLISECONDS);
    for (int slot = 0; slot < options.concurrency; slot++) {
      next(slot);
    }
    try {
      finished.join();
    } finally {
      progress.cancel(false);
      pacer.shutdownNow();
    }
    stats.end(System.nanoTime());
    return stats;
  }

  LoadStats stats() {
    return stats;
  }

  long started() {
    return started.get();
  }

  private void next(int slot) {
    long n = started.getAndIncrement();
    long now = System.nanoTime();
    // Call n is due n/rps seconds after the start, whichever slot makes it; unpaced, now.
    long due = options.rps == null ? now : startNanos + (long) (n * 1e9 / options.rps);
    if ((options.total != null && n >= options.total) || Math.max(now, due) >= endNanos) {
      started.decrementAndGet();
      if (activeSlots.decrementAndGet() == 0) {
        finished.complete(null);
      }
      return;
    }
    if (due <= now) {
      launch(slot);
    } else {
      pacer.schedule(() -> launch(slot), due - now, TimeUnit.NANOSECONDS);
    }
  }

  private void launch(int slot) {
    CallOptions callOptions = CallOptions.DEFAULT.withMaxInboundMessageSize(maxInboundSize);
    if (deadline != null) {
      callOptions = callOptions.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }
    ClientCall<DynamicMessage, DynamicMessage> call =
        channels.get(slot % channels.size()).newCall(method, callOptions);
    // Each call gets its own copy: the transport takes ownership of the Metadata it is given.
    Metadata callHeaders = new Metadata();
    callHeaders.merge(headers);
    long begin = System.nanoTime();
    try {
      start(call, callHeaders, slot, begin);
    } catch (RuntimeException e) {
      call.cancel("ferry load: the call could not start", e);
      stats.record(System.nanoTime() - begin, Status.fromThrowable(e));
      // Not from here: a call that keeps failing at once would recurse without end.
      pacer.execute(() -> next(slot));
    }
  }

  private void start(
      ClientCall<DynamicMessage, DynamicMessage> call, Metadata callHeaders, int slot, long begin) {
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onMessage(DynamicMessage message) {
            call.request(1);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            stats.record(System.nanoTime() - begin, status);
            next(slot);
          }
        },
        callHeaders);
    call.request(1);
    for (DynamicMessage request : requests) {
      call.sendMessage(request);
    }
    call.halfClose();
  }
}
