package dev.ferry.proxy.retry;

import dev.ferry.proxy.config.RetryPolicy;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a call waits before its next try: "full jitter" exponential backoff, a random time up to
 * a bound that doubles with each retry from the base to the maximum, so that calls failing together
 * do not all come back together.
 */
public final class RetryBackoff {
  private RetryBackoff() {}

  /** The wait in nanoseconds before retry number {@code retry} (1 for the first). */
  public static long nanos(RetryPolicy policy, int retry) {
    long base = policy.backoffBase().toNanos();
    long max = policy.backoffMax().toNanos();
    long bound = base;
    for (int i = 1; i < retry && bound < max; i++) {
      bound *= 2;
    }
    bound = Math.min(bound, max);
    return ThreadLocalRandom.current().nextLong(bound + 1);
  }
}
