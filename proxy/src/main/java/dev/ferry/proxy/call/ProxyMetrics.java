package dev.ferry.proxy.call;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the running proxy, shared by all event loops; {@link LongAdder} so that loops never
 * contend.
 */
public final class ProxyMetrics {
  private final LongAdder bufferedBytes = new LongAdder();
  private final LongAdder calls = new LongAdder();
  private final AtomicLong callBufferedPeak = new AtomicLong();

  /** Body bytes received from one side and not yet written to the other. */
  public long bufferedBytes() {
    return bufferedBytes.sum();
  }

  /** Calls started since the proxy started. */
  public long calls() {
    return calls.sum();
  }

  /**
   * The most body bytes one finished call ever held in the proxy at once: flow control keeps it
   * near a stream window per direction, however slow a peer reads.
   */
  public long callBufferedPeak() {
    return callBufferedPeak.get();
  }

  void callEnded(int bufferedPeak) {
    if (bufferedPeak > callBufferedPeak.get()) {
      callBufferedPeak.accumulateAndGet(bufferedPeak, Math::max);
    }
  }

  void buffered(int delta) {
    bufferedBytes.add(delta);
  }

  void callStarted() {
    calls.increment();
  }
}
