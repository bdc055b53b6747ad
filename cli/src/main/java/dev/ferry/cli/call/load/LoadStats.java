package dev.ferry.cli.call.load;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What a load run measured: each call's latency in an HdrHistogram (microsecond resolution, 3
 * significant digits), the count of each status, the first message of each failed status, and the
 * calls, failures and latencies of each second of the run.
 */
final class LoadStats {
  private final Histogram latencies = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
  private final Map<Status.Code, Long> counts = new EnumMap<>(Status.Code.class);
  private final Map<Status.Code, String> firstMessages = new EnumMap<>(Status.Code.class);
  private final List<Second> seconds = new ArrayList<>();
  private long startNanos;
  private long endNanos;

  /** The calls that ended in one second of the run. */
  private static final class Second {
    long calls;
    long errors;
    long latencyMicrosSum;
    long maxMicros;
  }

  synchronized void start(long nanos) {
    startNanos = nanos;
  }

  synchronized void end(long nanos) {
    endNanos = nanos;
  }

  /** Counts a call that ended at {@code endNanos} (System.nanoTime) after {@code latencyNanos}. */
  synchronized void record(long endNanos, long latencyNanos, Status status) {
    long micros = Math.max(1, TimeUnit.NANOSECONDS.toMicros(latencyNanos));
    latencies.recordValue(micros);
    int index = (int) Math.max(0, (endNanos - startNanos) / 1_000_000_000L);
    while (seconds.size() <= index) {
      seconds.add(new Second());
    }
    Second second = seconds.get(index);
    second.calls++;
    second.latencyMicrosSum += micros;
    second.maxMicros = Math.max(second.maxMicros, micros);
    if (!status.isOk()) {
      second.errors++;
    }
    counts.merge(status.getCode(), 1L, Long::sum);
    if (!status.isOk()) {
      firstMessages.putIfAbsent(status.getCode(), String.valueOf(status.getDescription()));
    }
  }

  synchronized long calls() {
    return latencies.getTotalCount();
  }

  synchronized long failed() {
    return calls() - counts.getOrDefault(Status.Code.OK, 0L);
  }

  synchronized double seconds() {
    return (endNanos - startNanos) / 1e9;
  }

  synchronized double callsPerSecond() {
    double s = seconds();
    return s > 0 ? calls() / s : 0;
  }

  /** The latency at {@code percentile} (0 to 100) in microseconds. */
  synchronized long percentileMicros(double percentile) {
    return latencies.getValueAtPercentile(percentile);
  }

  synchronized long minMicros() {
    return latencies.getMinValue();
  }

  synchronized long maxMicros() {
    return latencies.getMaxValue();
  }

  synchronized double meanMicros() {
    return latencies.getMean();
  }

  synchronized Histogram histogram() {
    return latencies.copy();
  }

  /** Each second of the run from its start, as {calls, errors, mean and max latency in µs}. */
  synchronized List<long[]> perSecond() {
    List<long[]> out = new ArrayList<>(seconds.size());
    for (Second s : seconds) {
      out.add(
          new long[] {
            s.calls, s.errors, s.calls == 0 ? 0 : s.latencyMicrosSum / s.calls, s.maxMicros
          });
    }
    return out;
  }

  synchronized Map<Status.Code, Long> counts() {
    return new EnumMap<>(counts);
  }

  synchronized String firstMessage(Status.Code code) {
    return firstMessages.get(code);
  }
}
