package dev.ferry.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Lets a long-running command wait until the user stops it with Ctrl-C or SIGTERM, then close its
 * servers and return exit code 0; and, for a command that asks, hear SIGHUP instead of dying of it.
 *
 * <p>A JVM stopped by a signal runs its shutdown hooks but always exits with 128 + the signal
 * number, and a hook cannot change that; handling the signal instead lets the command return
 * normally. A second signal while closing exits at once, as people expect of a second Ctrl-C.
 */
final class StopSignal {
  private static final String[] STOPPING_SIGNALS = {"INT", "TERM"};

  private final boolean fromOperatingSystem;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean armed;
  private volatile Runnable onHangup; // null until a command asks for SIGHUP

  private StopSignal(boolean fromOperatingSystem) {
    this.fromOperatingSystem = fromOperatingSystem;
  }

  /** Stopped by Ctrl-C (SIGINT) or SIGTERM, once {@link #arm} has installed the handlers. */
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

  /**
   * Takes over Ctrl-C and SIGTERM; call it before printing that the servers listen, so that a
   * script stopping them right after reading that line gets exit code 0 too.
   */
  synchronized void arm() {
    if (!fromOperatingSystem || armed) {
      return;
    }
    armed = true;
    for (String name : STOPPING_SIGNALS) {
      try {
        Signal.handle(new Signal(name), this::onSignal);
      } catch (IllegalArgumentException reservedByJvm) {
        // With -Xrs the JVM leaves signals alone: the default (exit without cleanup) stays.
      }
    }
  }

  /**
   * Runs {@code action} on each SIGHUP from now on, instead of the JVM's default of exiting with
   * 129: `serve` reloads its file, or says that flags leave nothing to reload.
   */
  synchronized void onHangup(Runnable action) {
    boolean first = onHangup == null;
    onHangup = action;
    if (!fromOperatingSystem || !first) {
      return;
    }
    try {
      Signal.handle(new Signal("HUP"), s -> hangup());
    } catch (IllegalArgumentException reservedByJvm) {
      // With -Xrs the JVM leaves signals alone: SIGHUP keeps its default.
    }
  }

  /** What a SIGHUP does: the action of {@link #onHangup}, if any; tests call it directly. */
  void hangup() {
    Runnable action = onHangup;
    if (action != null) {
      action.run();
    }
  }

  /** Blocks until stopped; arms the handlers first if {@link #arm} has not. */
  void await() throws InterruptedException {
    arm();
    stopped.await();
  }

  private void onSignal(Signal signal) {
    if (stopped.getCount() == 0) {
      Runtime.getRuntime().halt(128 + signal.getNumber());
    }
    stop();
  }
}
