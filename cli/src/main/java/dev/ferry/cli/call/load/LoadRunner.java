package dev.ferry.cli.call.load;

import com.google.protobuf.Descriptors;
import dev.ferry.cli.call.invoke.DynamicCall;
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
 * blocks a thread: each call's end starts the next one in its slot. Calls started during the {@code
 * --warmup} are made the same way but neither counted nor measured.
 */
final class LoadRunner {
  private final List<? extends Channel> channels;
  private final MethodDescriptor<byte[], byte[]> method;
  private final List<byte[]> requests;
  private final Metadata headers;
  private final Duration deadline;
  private final int maxInboundSize;
  private final LoadOptions options;
  private final LoadStats stats = new LoadStats();
  private final AtomicLong started = new AtomicLong();
  private final AtomicLong warmupStarted = new AtomicLong();
  private final AtomicInteger activeSlots = new AtomicInteger();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final ScheduledExecutorService pacer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ferry-load-pacer");
            t.setDaemon(true);
            return t;
          });
  private long warmupStartNanos;
  private long startNanos;
  private long endNanos;

  LoadRunner(
      List<? extends Channel> channels,
      Descriptors.MethodDescriptor method,
      List<byte[]> requests,
      Metadata headers,
      Duration deadline,
      int maxInboundSize,
      LoadOptions options) {
    this.channels = channels;
    this.method =
        DynamicCall.grpcMethod(method).toBuilder(
                PreEncodedMarshaller.INSTANCE, PreEncodedMarshaller.INSTANCE)
            .build();
    this.requests = requests;
    this.headers = headers;
    this.deadline = deadline;
    this.maxInboundSize = maxInboundSize;
    this.options = options;
  }

  /** Runs the load to its end and returns what it measured. */
  LoadStats run(Runnable onProgress) throws InterruptedException {
    warmupStartNanos = System.nanoTime();
    startNanos = warmupStartNanos + (options.warmup == null ? 0 : options.warmup.toNanos());
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

  private void next(int slot) {
    long now = System.nanoTime();
    if (now < startNanos) {
      schedule(slot, now, warmupStartNanos, warmupStarted.getAndIncrement(), false);
      return;
    }
    long n = started.getAndIncrement();
    if ((options.total != null && n >= options.total)
        || Math.max(now, due(n, startNanos, now)) >= endNanos) {
      started.decrementAndGet();
      if (activeSlots.decrementAndGet() == 0) {
        finished.complete(null);
      }
      return;
    }
    schedule(slot, now, startNanos, n, true);
  }

  /**
   * Starts call {@code n} of a phase that began at {@code phaseStart}, now or when it is due;
   * {@code measured} is false in the warm-up.
   */
  private void schedule(int slot, long now, long phaseStart, long n, boolean measured) {
    long due = due(n, phaseStart, now);
    if (due <= now) {
      launch(slot, measured);
    } else {
      pacer.schedule(() -> launch(slot, measured), due - now, TimeUnit.NANOSECONDS);
    }
  }

  /** Call n is due n/rps seconds after its phase began, whichever slot makes it; unpaced, now. */
  private long due(long n, long phaseStart, long now) {
    return options.rps == null ? now : phaseStart + (long) (n * 1e9 / options.rps);
  }

  private void launch(int slot, boolean measured) {
    CallOptions callOptions = CallOptions.DEFAULT.withMaxInboundMessageSize(maxInboundSize);
    if (deadline != null) {
      callOptions = callOptions.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }
    ClientCall<byte[], byte[]> call =
        channels.get(slot % channels.size()).newCall(method, callOptions);
    // Each call gets its own copy: the transport takes ownership of the Metadata it is given.
    Metadata callHeaders = new Metadata();
    callHeaders.merge(headers);
    long begin = System.nanoTime();
    try {
      start(call, callHeaders, slot, begin, measured);
    } catch (RuntimeException e) {
      call.cancel("ferry load: the call could not start", e);
      record(begin, measured, Status.fromThrowable(e));
      // Not from here: a call that keeps failing at once would recurse without end.
      pacer.execute(() -> next(slot));
    }
  }

  /**
   * Counts a call that began at {@code begin}, unless it was one of the warm-up's: decided when it
   * was scheduled, since a warm-up call may begin just after the warm-up ended and is not one of
   * -n.
   */
  private void record(long begin, boolean measured, Status status) {
    if (measured) {
      long end = System.nanoTime();
      stats.record(end, end - begin, status);
    }
  }

  private void start(
      ClientCall<byte[], byte[]> call,
      Metadata callHeaders,
      int slot,
      long begin,
      boolean measured) {
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onMessage(byte[] message) {
            call.request(1);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            record(begin, measured, status);
            next(slot);
          }
        },
        callHeaders);
    call.request(1);
    for (byte[] request : requests) {
      call.sendMessage(request);
    }
    call.halfClose();
  }
}
