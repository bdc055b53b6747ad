package dev.ferry.proxy.call;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A call's deadline, the client's {@code grpc-timeout} capped by its route, and the timer that ends
 * the call when it comes. Only a call with a deadline has one, so a call without pays nothing.
 *
 * <p>The point in time is on the event loop's clock ({@link EventLoop#ticker}), the one the call's
 * start is noted on and its timer runs by, so tests can drive it with a fake clock.
 */
final class CallDeadline {
  /**
   * How early a backend's cancel may come and still be taken for the deadline's: the backend
   * enforces the {@code grpc-timeout} forwarded to it and may cancel just before our timer runs.
   */
  private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private final Ticker ticker;
  private final long timeoutNanos;
  private final boolean routes;
  private final long atNanos;
  private final Runnable onExpiry;
  private ScheduledFuture<?> timer;

  private CallDeadline(
      Ticker ticker, long startNanos, long timeoutNanos, boolean routes, Runnable onExpiry) {
    this.ticker = ticker;
    this.timeoutNanos = timeoutNanos;
    this.routes = routes;
    this.atNanos = startNanos + timeoutNanos;
    this.onExpiry = onExpiry;
  }

  /**
   * Starts the timer of a call that started at {@code startNanos}: {@code onExpiry} runs on {@code
   * loop}, the call's own event loop, after {@code timeoutNanos} unless {@link #cancel} comes
   * first. A negative timeout means no deadline: then there is none ({@code null}). {@code routes}:
   * the timeout is the route's cap, not the client's {@code grpc-timeout}.
   */
  static CallDeadline start(
      EventLoop loop, long startNanos, long timeoutNanos, boolean routes, Runnable onExpiry) {
    if (timeoutNanos < 0) {
      return null;
    }
    CallDeadline d = new CallDeadline(loop.ticker(), startNanos, timeoutNanos, routes, onExpiry);
    d.timer = loop.schedule(d::expire, timeoutNanos, TimeUnit.NANOSECONDS);
    return d;
  }

  private void expire() {
    timer = null; // it ran: nothing left to cancel
    onExpiry.run();
  }

  /** Stops the timer, if it has not run yet; the deadline itself stays readable. */
  void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** The time that is left, for the backend's {@code grpc-timeout}; negative once passed. */
  long remainingNanos() {
    return atNanos - ticker.nanoTime();
  }

  /**
   * Whether the deadline has come, or comes within the slack a backend's own timer may be early.
   */
  boolean isDue() {
    return ticker.nanoTime() - atNanos >= -SLACK_NANOS;
  }

  /** Whether the deadline comes within {@code nanos} from now. */
  boolean comesWithin(long nanos) {
    return ticker.nanoTime() + nanos >= atNanos;
  }

  /** Whose deadline it is, for the detail that names it. */
  String whose() {
    return routes ? "the route's timeout.max" : "the client's grpc-timeout";
  }

  /** The timeout the call was given, as the message that ends it names it. */
  long timeoutMillis() {
    return Duration.ofNanos(timeoutNanos).toMillis();
  }
}
