package dev.ferry.proxy.upstream;

import dev.ferry.proxy.config.Durations;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a cluster that a reload replaced or removed, on its loop, once no call uses it any more
 * (or when the drain timeout runs out): calls running when the reload came finish on the
 * connections they have, and those still running at the timeout end with reason draining.
 */
public final class ClusterRetirement {
  private static final long CHECK_MILLIS = 200;

  private ClusterRetirement() {}

  /** Retires {@code cluster}, owned by {@code loop}; gives its calls at most {@code drain}. */
  public static void closeWhenIdle(UpstreamCluster cluster, EventLoop loop, Duration drain) {
    if (loop.isShuttingDown()) {
      return;
    }
    long deadline = System.nanoTime() + drain.toNanos();
    ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
    task[0] =
        loop.scheduleAtFixedRate(
            () -> {
              if (inFlight(cluster) == 0 || System.nanoTime() - deadline >= 0) {
                cluster.closeAll(
                    UpstreamFailure.draining(
                        "a reload retired the cluster and its drain timeout of "
                            + Durations.format(drain)
                            + " ran out"));
                task[0].cancel(false);
              }
            },
            0,
            CHECK_MILLIS,
            TimeUnit.MILLISECONDS);
  }

  private static int inFlight(UpstreamCluster cluster) {
    int n = 0;
    for (UpstreamEndpoint e : cluster.endpoints()) {
      n += e.inFlight();
    }
    return n;
  }
}
