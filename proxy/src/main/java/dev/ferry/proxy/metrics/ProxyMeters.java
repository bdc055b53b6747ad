package dev.ferry.proxy.metrics;

import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.status.CallProtocol;
import dev.ferry.proxy.status.LocalReplyReason;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Every metric of one running proxy, in a registry of its own (never the library's global one, so
 * that two proxies in one JVM, as in tests, count apart).
 *
 * <p>The data path never looks labels up per frame: a call resolves its {@link RouteMeters} once
 * when routed and its {@link MethodMeters} once when it ends; what changes per frame is only
 * counted in the call's own fields. State owned by the event loops (in-flight calls, connections,
 * health) is sampled at scrape time through {@link #endpointStats}.
 */
public final class ProxyMeters {
  /** Latency buckets in seconds: 0.5 ms to a minute, for unary calls and long streams alike. */
  private static final double[] LATENCY_BUCKETS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
  };

  /** The content type of {@link #write}. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final BufferedBytes buffered = new BufferedBytes();
  private final RecentFailures recentFailures = new RecentFailures();
  final Counter calls;
  final Histogram latency;
  final Counter requestBytes;
  final Counter responseBytes;
  final Counter requestMessages;
  final Counter responseMessages;
  private final Counter retries;
  private final CounterDataPoint[] localReplies;
  private final CounterDataPoint[] endings;
  private final CounterDataPoint[] protocols;
  private final ConcurrentMap<String, RouteMeters> routes = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, CounterDataPoint> retriesByCluster =
      new ConcurrentHashMap<>();
  private volatile Supplier<List<EndpointStats>> endpointSource = List::of;
  private List<EndpointStats> sampled = List.of();

  public ProxyMeters() {
    // No exemplars: the text format we expose has none, and no span context ever reaches the event
    // loops, yet a sampler on each data point would look for one on every call that ends.
    calls =
        Counter.builder()
            .withoutExemplars()
            .name("ferry_calls_total")
            .help("Calls (streams) that ended, by route, cluster, method and grpc-status")
            .labelNames("route", "cluster", "method", "grpc_status")
            .register(registry);
    latency =
        Histogram.builder()
            .withoutExemplars()
            .name("ferry_call_duration_seconds")
            .help("Time from a call's request headers to the end of its response")
            .labelNames("route", "cluster", "method")
            .classicOnly()
            .classicUpperBounds(LATENCY_BUCKETS)
            .register(registry);
    requestBytes =
        Counter.builder()
            .withoutExemplars()
            .name("ferry_request_bytes_total")
            .help("Request body bytes received from clients (gRPC frames included)")
            .labelNames("route", "cluster", "method")
            .register(registry);
    responseBytes =
        Counter.builder()
            .withoutExemplars()
            .name("ferry_response_bytes_total")
            .help("Response body bytes received from backends (gRPC frames included)")
            .labelNames("route", "cluster", "method")
            .register(registry);
    requestMessages =
        Counter.builder()
            .withoutExemplars()
            .name("ferry_request_messages_total")
            .help("gRPC messages received from clients")
            .labelNames("route", "cluster", "method")
            .register(registry);
    responseMessages =
        Counter.builder()
            .withoutExemplars()
            .name("ferry_response_messages_total")
            .help("gRPC messages received from backends")
            .labelNames("route", "cluster", "method")
            .register(registry);
    retries =
        Counter.builder()
            .withoutExemplars()
            .name("ferry_retries_total")
            .help("Calls sent again to another endpoint of the cluster")
            .labelNames("cluster")
            .register(registry);
    Counter local =
        Counter.builder()
            .withoutExemplars()
            .name("ferry_local_replies_total")
            .help("Calls the proxy answered itself, by reason (the ferry-local-reply trailer)")
            .labelNames("reason")
            .register(registry);
    LocalReplyReason[] reasons = LocalReplyReason.values();
    localReplies = new CounterDataPoint[reasons.length];
    for (LocalReplyReason r : reasons) {
      if (r.isLocalReply()) {
        localReplies[r.ordinal()] = local.labelValues(r.wireName());
      }
    }
    // The reason only, never the detail: its values are a fixed set, so the series stay few.
    Counter ended =
        Counter.builder()
            .withoutExemplars()
            .name("ferry_calls_ended_total")
            .help("Calls (streams) that ended, by why they ended (docs/reasons.md)")
            .labelNames("reason")
            .register(registry);
    endings = new CounterDataPoint[reasons.length];
    for (LocalReplyReason r : reasons) {
      endings[r.ordinal()] = ended.labelValues(r.wireName());
    }
    Counter spoken =
        Counter.builder()
            .withoutExemplars()
            .name("ferry_calls_by_protocol_total")
            .help(
                "Calls (streams) that ended, by the protocol the client spoke (grpc, grpc-web, ...)")
            .labelNames("protocol")
            .register(registry);
    CallProtocol[] all = CallProtocol.values();
    protocols = new CounterDataPoint[all.length];
    for (CallProtocol p : all) {
      protocols[p.ordinal()] = spoken.labelValues(p.wireName());
    }
    GaugeWithCallback.builder()
        .name("ferry_active_streams")
        .help("Calls in progress, by route and cluster")
        .labelNames("route", "cluster")
        .callback(
            cb -> {
              for (RouteMeters r : routes.values()) {
                cb.call(r.activeStreams(), r.route(), r.cluster());
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("ferry_buffered_body_bytes")
        .help("Body bytes read from one side of a call and not yet written to the other")
        .callback(cb -> cb.call(buffered.held()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("ferry_call_buffered_peak_bytes")
        .help("The most body bytes one finished call held in the proxy at once")
        .callback(cb -> cb.call(buffered.callPeak()))
        .register(registry);
    endpointGauges();
  }

  /** The last calls that ended badly; a call adds itself only when it failed. */
  public RecentFailures recentFailures() {
    return recentFailures;
  }

  /** The upper bounds, in seconds, of the latency histogram's buckets but the last (+Inf). */
  public static double[] latencyBounds() {
    return LATENCY_BUCKETS.clone();
  }

  /**
   * The calls of every route and cluster so far, summed over methods, read from the same counters
   * {@code /metrics} shows: the data path counts nothing more for the dashboard.
   */
  public List<CallTotals> callTotals() {
    Map<String, long[]> counts = new TreeMap<>();
    for (CounterDataPointSnapshot p : calls.collect().getDataPoints()) {
      long[] c = counts.computeIfAbsent(key(p.getLabels()), k -> new long[2]);
      long n = (long) p.getValue();
      c[0] += n;
      String status = p.getLabels().get("grpc_status");
      if (!"0".equals(status) && !"none".equals(status)) {
        c[1] += n;
      }
    }
    Map<String, long[]> buckets = new TreeMap<>();
    for (HistogramDataPointSnapshot p : latency.collect().getDataPoints()) {
      ClassicHistogramBuckets b = p.getClassicBuckets();
      long[] sum = buckets.computeIfAbsent(key(p.getLabels()), k -> new long[b.size()]);
      for (int i = 0; i < b.size() && i < sum.length; i++) {
        sum[i] += b.getCount(i);
      }
    }
    List<CallTotals> out = new ArrayList<>(counts.size());
    counts.forEach(
        (k, c) -> {
          int cut = k.indexOf('\0');
          long[] b = buckets.getOrDefault(k, new long[LATENCY_BUCKETS.length + 1]);
          out.add(new CallTotals(k.substring(0, cut), k.substring(cut + 1), c[0], c[1], b));
        });
    return out;
  }

  private static String key(Labels labels) {
    return labels.get("route") + '\0' + labels.get("cluster");
  }

  /** The body bytes calls hold; every call adds to and takes from it on its event loop. */
  public BufferedBytes buffered() {
    return buffered;
  }

  private void endpointGauges() {
    GaugeWithCallback.builder()
        .name("ferry_upstream_connections")
        .help("Upstream connections open, by cluster and endpoint")
        .labelNames("cluster", "endpoint")
        .callback(cb -> sampled.forEach(e -> cb.call(e.connections(), e.cluster(), e.endpoint())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("ferry_upstream_in_flight")
        .help("Calls running on an endpoint now")
        .labelNames("cluster", "endpoint")
        .callback(cb -> sampled.forEach(e -> cb.call(e.inFlight(), e.cluster(), e.endpoint())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("ferry_endpoint_healthy")
        .help("1 when the endpoint passes its active health checks (or has none), else 0")
        .labelNames("cluster", "endpoint")
        .callback(
            cb -> sampled.forEach(e -> cb.call(e.healthy() ? 1 : 0, e.cluster(), e.endpoint())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("ferry_endpoint_ejected")
        .help("1 while passive outlier detection keeps the endpoint out, else 0")
        .labelNames("cluster", "endpoint")
        .callback(
            cb -> sampled.forEach(e -> cb.call(e.ejected() ? 1 : 0, e.cluster(), e.endpoint())))
        .register(registry);
    CounterWithCallback.builder()
        .name("ferry_endpoint_ejections_total")
        .help("Times passive outlier detection ejected the endpoint")
        .labelNames("cluster", "endpoint")
        .callback(cb -> sampled.forEach(e -> cb.call(e.ejections(), e.cluster(), e.endpoint())))
        .register(registry);
  }

  /** Where scrapes read the endpoints' state; sampled once per scrape. */
  public void endpointStats(Supplier<List<EndpointStats>> source) {
    this.endpointSource = source;
  }

  /**
   * The meters of {@code route} ({@code null}: calls that matched no route); look it up once per
   * route, not per call.
   */
  public RouteMeters route(RouteConfig route) {
    String label = route == null ? "none" : RouteLabel.of(route.match());
    String cluster = route == null || route.cluster() == null ? "" : route.cluster();
    return routes.computeIfAbsent(
        label + '\0' + cluster, k -> new RouteMeters(this, label, cluster));
  }

  /**
   * The meters of reflection streams the proxy answers itself for all clusters: route {@code
   * reflection}, cluster {@code ""}.
   */
  public RouteMeters reflection() {
    return routes.computeIfAbsent("reflection\0", k -> new RouteMeters(this, "reflection", ""));
  }

  /** The proxy answered a call itself for {@code reason}. */
  public void localReply(LocalReplyReason reason) {
    localReplies[reason.ordinal()].inc();
  }

  /** A call ended for {@code reason}. */
  public void callEnded(LocalReplyReason reason) {
    endings[reason.ordinal()].inc();
  }

  /** A call whose client spoke {@code protocol} ended. */
  public void callSpoke(CallProtocol protocol) {
    protocols[protocol.ordinal()].inc();
  }

  /** A call of {@code cluster} goes to another endpoint after a failure. */
  public void retry(String cluster) {
    retriesByCluster.computeIfAbsent(cluster, c -> retries.labelValues(c)).inc();
  }

  /** Writes every metric in the Prometheus text format (version 0.0.4). */
  public synchronized void write(OutputStream out) throws IOException {
    sampled = endpointSource.get();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } finally {
      sampled = List.of();
    }
  }

  /** {@link #write} as a string, for tests and debugging. */
  public String scrape() {
    var out = new java.io.ByteArrayOutputStream();
    try {
      write(out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ProxyMeters{%d routes}", routes.size());
  }
}
