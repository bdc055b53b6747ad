package dev.ferry.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Lets a long-running command wait until the user stops it with Ctrl-C or SIGTERM, then close its
 * servers and return exit code 0.
 *
 * <p>A JVM stopped by a signal runs its shutdown hooks but always exits with 128 + the signal
 * number, and a hook cannot change that; handling the signal instead lets the command return
 * normally. A second signal while closing exits at once, as people expect of a second Ctrl-C.
 */
final class StopSignal {
  private static final String[] STOPPING_SIGNALS = {"INT", "TERM"};

  private final boolean fromOperatingSystem;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private StopSignal(boolean fromOperatingSystem) {
    this.fromOperatingSystem = fromOperatingSystem;
  }

  /** Stopped by Ctrl-C (SIGINT) or SIGTERM; the handlers are installed only on {@link #await}. */
  static StopSignal fromOperatingSystem() {
    return new StopSignal(true);
  }

  /** Stopped only by {@link #stop}: for tests, which must not take over the JVM's signals. */
  static StopSignal manual() {
    return new StopSignal(false);
  }

  void stop() {
    stopped.countDown();
  }

  /** Blocks until stopped. */
  void await() throws InterruptedException {
    if (fromOperatingSystem) {
      for (String name : STOPPING_SIGNALS) {
        Signal.handle(new Signal(name), this::onSignal);
      }
    }
    stopped.await();
  }

  private void onSignal(Signal signal) {
    if (stopped.getCount() == 0) {
      Runtime.getRuntime().halt(128 + signal.getNumber());
    }
    stop();
  }
}
