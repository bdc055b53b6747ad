package dev.ferry.cli.call.load;

import java.time.Duration;

/**
 * The live line load mode redraws on a terminal: a bar of the calls made (-n) or the time spent
 * (--duration), the count and the rate so far. Drawn only on a terminal, never into a pipe.
 */
final class ProgressBar {
  private static final int WIDTH = 30;

  private ProgressBar() {}

  /**
   * @param total the calls asked for, or null for a load that runs for {@code duration}
   * @param duration the load's length, or null for a load of {@code total} calls
   */
  static String line(long done, Long total, Duration elapsed, Duration duration) {
    double fraction;
    if (total != null && total > 0) {
      fraction = (double) done / total;
    } else if (duration != null && !duration.isZero()) {
      fraction = (double) elapsed.toMillis() / duration.toMillis();
    } else {
      fraction = 0;
    }
    fraction = Math.max(0, Math.min(1, fraction));
    int filled = (int) Math.round(fraction * WIDTH);
    double seconds = elapsed.toNanos() / 1e9;
    long rate = seconds > 0 ? Math.round(done / seconds) : 0;
    return String.format(
        "[%s%s] %3d%%  %d%s calls  %d/s  %.1fs",
        "#".repeat(filled),
        " ".repeat(WIDTH - filled),
        Math.round(fraction * 100),
        done,
        total == null ? "" : "/" + total,
        rate,
        seconds);
  }
}
