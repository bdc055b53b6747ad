package dev.ferry.proxy;

import dev.ferry.proxy.call.Worker;
import dev.ferry.proxy.config.Durations;
import dev.ferry.proxy.upstream.UpstreamFailure;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * The end of a drain (a shutdown, or the admin's {@code POST /drain}): the calls still in flight
 * when the drain timeout runs out are cut by the proxy on each event loop, with reason {@code
 * draining}, a moment before the client connections close; so that their clients get a status
 * saying why, and the access log and metrics a reason, rather than a lost connection.
 */
final class DrainDeadline {
  /** How long the client connections have, after the cut, to send the cut calls' last frames. */
  private static final long GRACE_MILLIS = 500;

  private DrainDeadline() {}

  /**
   * Cuts, once {@code drain} has passed, every call that still has a backend stream on any of
   * {@code workers}' loops; {@code what} says what is draining ("the proxy is shutting down").
   */
  static void schedule(Collection<Worker> workers, Duration drain, String what) {
    UpstreamFailure why =
        UpstreamFailure.draining(
            what + " and its drain timeout of " + Durations.format(drain) + " ran out");
    for (Worker w : workers) {
      w.loop()
          .schedule(
              () -> w.clusters().forEach(c -> c.closeAll(why)),
              drain.toMillis(),
              TimeUnit.MILLISECONDS);
    }
  }

  /** The drain timeout a client connection gets: the cut of its calls comes first. */
  static long connectionMillis(long drainMillis) {
    return drainMillis <= 0 ? drainMillis : drainMillis + GRACE_MILLIS;
  }
}
