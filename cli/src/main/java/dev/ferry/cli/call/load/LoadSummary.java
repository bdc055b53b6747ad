package dev.ferry.cli.call.load;

import io.grpc.Status;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Prints a load run's summary: rate, latency percentiles, a latency histogram, statuses, SLOs. */
final class LoadSummary {
  private static final int BUCKETS = 10;
  private static final int BAR = 40;

  private LoadSummary() {}

  /** Prints the summary and returns whether every SLO held. */
  static boolean print(PrintWriter out, LoadStats stats, LoadOptions options, List<Slo> slos) {
    out.printf(
        Locale.ROOT,
        "Summary: %d calls in %.2fs, %.1f calls/s, %d failed (%.3f%%); %d at once over %d"
            + " connection(s)%n",
        stats.calls(),
        stats.seconds(),
        stats.callsPerSecond(),
        stats.failed(),
        stats.calls() == 0 ? 0.0 : 100.0 * stats.failed() / stats.calls(),
        options.concurrency,
        options.connections());
    if (stats.calls() == 0) {
      out.flush();
      return slos.isEmpty();
    }
    out.println(
        "Latency: min "
            + micros(stats.minMicros())
            + "  mean "
            + micros(stats.meanMicros())
            + "  p50 "
            + micros(stats.percentileMicros(50))
            + "  p90 "
            + micros(stats.percentileMicros(90))
            + "  p99 "
            + micros(stats.percentileMicros(99))
            + "  p99.9 "
            + micros(stats.percentileMicros(99.9))
            + "  max "
            + micros(stats.maxMicros()));
    histogram(out, stats.histogram());
    out.println("Status:");
    for (Map.Entry<Status.Code, Long> e : stats.counts().entrySet()) {
      String first = stats.firstMessage(e.getKey());
      out.printf(
          Locale.ROOT,
          "  %-20s %8d%s%n",
          e.getKey(),
          e.getValue(),
          first == null ? "" : "  (first: " + first + ")");
    }
    boolean allHold = true;
    for (Slo slo : slos) {
      boolean holds = slo.holds(stats);
      allHold &= holds;
      out.println(
          "SLO "
              + slo.text()
              + ": "
              + (holds ? "ok" : "FAILED")
              + " ("
              + slo.describeMeasured(stats)
              + ")");
    }
    out.flush();
    return allHold;
  }

  private static void histogram(PrintWriter out, Histogram h) {
    long min = h.getMinValue();
    long max = h.getMaxValue();
    long width = Math.max(1, (max - min + BUCKETS) / BUCKETS);
    long[] counts = new long[BUCKETS];
    long most = 1;
    for (int i = 0; i < BUCKETS; i++) {
      long lo = min + i * width;
      counts[i] = h.getCountBetweenValues(lo, lo + width - 1);
      most = Math.max(most, counts[i]);
    }
    out.println("Histogram (upper bound, calls):");
    for (int i = 0; i < BUCKETS; i++) {
      int bar = (int) Math.round((double) counts[i] * BAR / most);
      out.printf(
          Locale.ROOT,
          "  %10s %8d |%s%n",
          micros(min + (i + 1) * width - 1),
          counts[i],
          "#".repeat(bar));
    }
  }

  /** Microseconds as a person reads them: 850us, 1.25ms, 2.50s. */
  static String micros(double us) {
    if (us < 1000) {
      return String.format(Locale.ROOT, "%.0fus", us);
    }
    if (us < 1_000_000) {
      return String.format(Locale.ROOT, "%.2fms", us / 1e3);
    }
    return String.format(Locale.ROOT, "%.2fs", us / 1e6);
  }
}
