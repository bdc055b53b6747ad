package dev.ferry.cli.call.load;

import io.grpc.Status;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What a load run measured: each call's latency in an HdrHistogram (microsecond resolution, 3
 * significant digits), the count of each status, and the first message of each failed status.
 */
final class LoadStats {
  private final Histogram latencies = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
  private final Map<Status.Code, Long> counts = new EnumMap<>(Status.Code.class);
  private final Map<Status.Code, String> firstMessages = new EnumMap<>(Status.Code.class);
  private long startNanos;
  private long endNanos;

  synchronized void start(long nanos) {
    startNanos = nanos;
  }

  synchronized void end(long nanos) {
    endNanos = nanos;
  }

  synchronized void record(long latencyNanos, Status status) {
    latencies.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(latencyNanos)));
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

  synchronized Map<Status.Code, Long> counts() {
    return new EnumMap<>(counts);
  }

  synchronized String firstMessage(Status.Code code) {
    return firstMessages.get(code);
  }
}
