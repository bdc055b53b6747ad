package dev.ferry.proxy.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Body bytes the proxy holds between reading them from one side and writing them to the other,
 * shared by all event loops ({@link LongAdder}, so that loops never contend): flow control keeps
 * them near a stream window per direction of a call, however slow a peer reads.
 */
public final class BufferedBytes {
  private final LongAdder held = new LongAdder();
  private final AtomicLong callPeak = new AtomicLong();

  /** Body bytes held now, over all calls. */
  public long held() {
    return held.sum();
  }

  /** The most body bytes one finished call ever held at once. */
  public long callPeak() {
    return callPeak.get();
  }

  /** A call took ({@code delta > 0}) or passed on ({@code delta < 0}) body bytes. */
  public void add(int delta) {
    held.add(delta);
  }

  /** A call ended having held at most {@code peak} bytes at once. */
  public void callEnded(int peak) {
    if (peak > callPeak.get()) {
      callPeak.accumulateAndGet(peak, Math::max);
    }
  }
}
