package dev.ferry.proxy.call;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the running proxy, shared by all event loops; {@link LongAdder} so that loops never
 * contend.
 */
public final class ProxyMetrics {
  private final LongAdder bufferedBytes = new LongAdder();
  private final LongAdder calls = new LongAdder();

  /** Body bytes received from one side and not yet written to the other. */
  public long bufferedBytes() {
    return bufferedBytes.sum();
  }

  /** Calls started since the proxy started. */
  public long calls() {
    return calls.sum();
  }

  void buffered(int delta) {
    bufferedBytes.add(delta);
  }

  void callStarted() {
    calls.increment();
  }
}
