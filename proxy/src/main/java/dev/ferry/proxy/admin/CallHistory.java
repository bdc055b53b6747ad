package dev.ferry.proxy.admin;

import dev.ferry.proxy.metrics.CallTotals;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last minutes of calls per route and per cluster, as one point per sampling interval: rate,
 * error ratio and latency percentiles. A timer on the admin thread calls {@link #sample} with the
 * counters as they are; each point is the difference from the sample before, so the data path
 * counts nothing for it.
 */
final class CallHistory {
  /** One interval of one route or cluster. */
  record Point(
      long timeMillis,
      double callsPerSecond,
      double errorRatio,
      double p50Millis,
      double p90Millis,
      double p99Millis) {}

  /** The points of one route (with its cluster) or of one cluster (route {@code null}). */
  record Series(String route, String cluster, List<Point> points) {}

  private final double[] bounds;
  private final int length;
  private final Map<String, Track> routes = new LinkedHashMap<>();
  private final Map<String, Track> clusters = new LinkedHashMap<>();
  private long lastMillis = -1;

  /**
   * @param boundsSeconds the latency buckets' upper bounds but the last (+Inf)
   * @param length how many points each series keeps
   */
  CallHistory(double[] boundsSeconds, int length) {
    this.bounds = boundsSeconds.clone();
    this.length = length;
  }

  /** Adds one point to every series: what changed in {@code totals} since the last sample. */
  synchronized void sample(long nowMillis, List<CallTotals> totals) {
    Map<String, long[]> byRoute = new LinkedHashMap<>();
    Map<String, long[]> byCluster = new LinkedHashMap<>();
    for (CallTotals t : totals) {
      add(byRoute.computeIfAbsent(t.route() + '\0' + t.cluster(), k -> counts()), t);
      if (!t.cluster().isEmpty()) {
        add(byCluster.computeIfAbsent(t.cluster(), k -> counts()), t);
      }
    }
    double seconds = lastMillis < 0 ? 0 : (nowMillis - lastMillis) / 1e3;
    lastMillis = nowMillis;
    byRoute.forEach(
        (k, c) -> routes.computeIfAbsent(k, x -> new Track()).append(nowMillis, seconds, c));
    byCluster.forEach(
        (k, c) -> clusters.computeIfAbsent(k, x -> new Track()).append(nowMillis, seconds, c));
  }

  /** Every route's series, in the order they first had calls. */
  synchronized List<Series> routes() {
    List<Series> out = new ArrayList<>(routes.size());
    routes.forEach(
        (k, t) -> {
          int cut = k.indexOf('\0');
          out.add(new Series(k.substring(0, cut), k.substring(cut + 1), List.copyOf(t.points)));
        });
    return out;
  }

  /** Every cluster's series, in the order they first had calls. */
  synchronized List<Series> clusters() {
    List<Series> out = new ArrayList<>(clusters.size());
    clusters.forEach((k, t) -> out.add(new Series(null, k, List.copyOf(t.points))));
    return out;
  }

  /** {calls, errors, then one count per latency bucket}. */
  private long[] counts() {
    return new long[2 + bounds.length + 1];
  }

  private static void add(long[] c, CallTotals t) {
    c[0] += t.calls();
    c[1] += t.errors();
    long[] b = t.latencyBuckets();
    for (int i = 0; i < b.length && 2 + i < c.length; i++) {
      c[2 + i] += b[i];
    }
  }

  /** The points of one series and the counters it last saw. */
  private final class Track {
    private final ArrayDeque<Point> points = new ArrayDeque<>();
    private long[] last;

    void append(long nowMillis, double seconds, long[] now) {
      long[] before = last == null ? new long[now.length] : last;
      last = now;
      if (seconds <= 0) {
        return; // the first sample: there is no interval yet to make a rate of
      }
      long calls = now[0] - before[0];
      long errors = now[1] - before[1];
      long[] buckets = new long[now.length - 2];
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = now[2 + i] - before[2 + i];
      }
      points.addLast(
          new Point(
              nowMillis,
              calls / seconds,
              calls == 0 ? 0 : (double) errors / calls,
              quantileMillis(buckets, 0.50),
              quantileMillis(buckets, 0.90),
              quantileMillis(buckets, 0.99)));
      while (points.size() > length) {
        points.removeFirst();
      }
    }
  }

  /**
   * The {@code q} quantile of the calls in {@code buckets}, in milliseconds, interpolated linearly
   * inside its bucket as Prometheus's {@code histogram_quantile} does; 0 when there were none, the
   * largest bound when it falls in the last bucket, which has none.
   */
  double quantileMillis(long[] buckets, double q) {
    long total = 0;
    for (long b : buckets) {
      total += b;
    }
    if (total == 0) {
      return 0;
    }
    double rank = q * total;
    long below = 0;
    for (int i = 0; i < buckets.length; i++) {
      if (below + buckets[i] >= rank && buckets[i] > 0) {
        if (i >= bounds.length) {
          return bounds[bounds.length - 1] * 1e3;
        }
        double lower = i == 0 ? 0 : bounds[i - 1];
        double within = (rank - below) / buckets[i];
        return (lower + (bounds[i] - lower) * within) * 1e3;
      }
      below += buckets[i];
    }
    return bounds[bounds.length - 1] * 1e3;
  }
}
