package dev.ferry.proxy.config;

import dev.ferry.proxy.status.GrpcCode;
import java.time.Duration;
import java.util.Set;

/**
 * Passive outlier detection: an endpoint whose calls fail {@link #consecutiveFailures} times in a
 * row (connect failures, resets, or a gRPC status in {@link #statuses}, read from trailers too) is
 * ejected: it gets no new calls for {@link #baseEjectionTime} times the number of times it was
 * ejected lately, at most {@link #maxEjectionTime}.
 *
 * @param consecutiveFailures failures in a row that eject an endpoint
 * @param statuses the gRPC status codes (numbers) that count as failures
 * @param baseEjectionTime how long the first ejection lasts
 * @param maxEjectionTime the longest an ejection lasts however often it recurs
 * @param maxEjectionPercent the largest share of the cluster's endpoints ejected at once (at least
 *     one endpoint may always be ejected)
 */
public record OutlierConfig(
    int consecutiveFailures,
    Set<Integer> statuses,
    Duration baseEjectionTime,
    Duration maxEjectionTime,
    int maxEjectionPercent) {

  /** The defaults: 5 failures, UNAVAILABLE, 30s growing to 300s, half the cluster at most. */
  public static OutlierConfig defaults() {
    return new OutlierConfig(
        5,
        Set.of(GrpcCode.UNAVAILABLE.value()),
        Duration.ofSeconds(30),
        Duration.ofSeconds(300),
        50);
  }
}
