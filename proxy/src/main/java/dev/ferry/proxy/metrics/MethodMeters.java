package dev.ferry.proxy.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

/**
 * The data points of one route, cluster and method, resolved once so that ending a call costs a few
 * lock-free adds and no label lookup.
 */
public final class MethodMeters {
  /** gRPC codes 0..16, then one slot for codes outside that range and one for plain HTTP calls. */
  private static final int OTHER_STATUS = 17;

  private static final int NOT_GRPC = 18;

  private final ProxyMeters meters;
  private final String[] labels;
  private final CounterDataPoint[] calls = new CounterDataPoint[NOT_GRPC + 1];
  private final DistributionDataPoint latency;
  private final CounterDataPoint requestBytes;
  private final CounterDataPoint responseBytes;
  private final CounterDataPoint requestMessages;
  private final CounterDataPoint responseMessages;

  MethodMeters(ProxyMeters meters, String route, String cluster, String method) {
    this.meters = meters;
    this.labels = new String[] {route, cluster, method};
    this.latency = meters.latency.labelValues(labels);
    this.requestBytes = meters.requestBytes.labelValues(labels);
    this.responseBytes = meters.responseBytes.labelValues(labels);
    this.requestMessages = meters.requestMessages.labelValues(labels);
    this.responseMessages = meters.responseMessages.labelValues(labels);
  }

  /** Like {@link #callEnded(int, long, long, long)}, with the gRPC messages each way. */
  public void callEnded(
      int grpcStatus, long nanos, long bytesIn, long bytesOut, long messagesIn, long messagesOut) {
    callEnded(grpcStatus, nanos, bytesIn, bytesOut);
    if (messagesIn > 0) {
      requestMessages.inc(messagesIn);
    }
    if (messagesOut > 0) {
      responseMessages.inc(messagesOut);
    }
  }

  /**
   * One call ended with {@code grpcStatus} ({@code -1} when it was not gRPC or had none), after
   * {@code nanos}, having moved {@code bytesIn} request and {@code bytesOut} response body bytes.
   */
  public void callEnded(int grpcStatus, long nanos, long bytesIn, long bytesOut) {
    int slot = grpcStatus < 0 ? NOT_GRPC : grpcStatus < OTHER_STATUS ? grpcStatus : OTHER_STATUS;
    CounterDataPoint c = calls[slot];
    if (c == null) {
      // Racing loops may both resolve it: labelValues returns the same data point to both.
      c = meters.calls.labelValues(labels[0], labels[1], labels[2], statusLabel(slot));
      calls[slot] = c;
    }
    c.inc();
    latency.observe(nanos / 1e9);
    if (bytesIn > 0) {
      requestBytes.inc(bytesIn);
    }
    if (bytesOut > 0) {
      responseBytes.inc(bytesOut);
    }
  }

  private static String statusLabel(int slot) {
    if (slot == NOT_GRPC) {
      return "none";
    }
    return slot == OTHER_STATUS ? "other" : Integer.toString(slot);
  }
}
