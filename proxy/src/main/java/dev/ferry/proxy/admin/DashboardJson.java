package dev.ferry.proxy.admin;

import dev.ferry.proxy.accesslog.AccessLogEntry;
import dev.ferry.proxy.accesslog.UpstreamAttempt;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.metrics.CallTotals;
import dev.ferry.proxy.metrics.EndpointStats;
import dev.ferry.proxy.metrics.RouteLabel;
import dev.ferry.proxy.output.AddressText;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code /dashboard.json}: everything the dashboard page shows, in one document a script can read
 * too (docs/dashboard.md describes it). Counts are read when asked; rates and percentiles come from
 * the {@link CallHistory} the admin thread samples.
 */
final class DashboardJson {
  private DashboardJson() {}

  static String write(AdminView view, CallHistory history, long nowMillis, long intervalMillis) {
    StringBuilder sb = new StringBuilder(4096);
    sb.append("{\"time_ms\":").append(nowMillis);
    sb.append(",\"ready\":").append(view.notReady() == null);
    sb.append(",\"interval_ms\":").append(intervalMillis);
    listeners(view, sb);
    List<CallTotals> totals = view.meters().callTotals();
    clusters(view.endpointStats(), totals, history.clusters(), sb);
    routes(totals, history.routes(), sb);
    failures(view.meters().recentFailures().newestFirst(), sb);
    return sb.append("}\n").toString();
  }

  private static void listeners(AdminView view, StringBuilder sb) {
    List<ListenerConfig> listeners = view.config().listeners();
    List<SocketAddress> bound = view.listenerAddresses();
    sb.append(",\"listeners\":[");
    for (int i = 0; i < listeners.size(); i++) {
      ListenerConfig l = listeners.get(i);
      String address = i < bound.size() ? AddressText.of(bound.get(i)) : l.address();
      sb.append(i == 0 ? "" : ",").append("{\"address\":");
      Json.string(address, sb);
      sb.append(",\"tls\":").append(l.tls() != null).append(",\"routes\":[");
      for (int j = 0; j < l.routes().size(); j++) {
        RouteConfig r = l.routes().get(j);
        sb.append(j == 0 ? "" : ",").append("{\"route\":");
        Json.string(RouteLabel.of(r.match()), sb);
        sb.append(",\"cluster\":");
        Json.string(r.directReply() == null ? r.cluster() : null, sb);
        sb.append(",\"direct_reply\":").append(r.directReply() != null).append('}');
      }
      sb.append("]}");
    }
    sb.append(']');
  }

  private static void clusters(
      List<EndpointStats> endpoints,
      List<CallTotals> totals,
      List<CallHistory.Series> history,
      StringBuilder sb) {
    Map<String, long[]> counts = new LinkedHashMap<>();
    for (CallTotals t : totals) {
      long[] c = counts.computeIfAbsent(t.cluster(), k -> new long[2]);
      c[0] += t.calls();
      c[1] += t.errors();
    }
    Map<String, List<CallHistory.Point>> points = new LinkedHashMap<>();
    history.forEach(s -> points.put(s.cluster(), s.points()));
    sb.append(",\"clusters\":[");
    String cluster = null;
    boolean firstEndpoint = true;
    for (EndpointStats e : endpoints) {
      if (!Objects.equals(cluster, e.cluster())) {
        if (cluster != null) {
          endCluster(cluster, counts, points, sb);
          sb.append(',');
        }
        cluster = e.cluster();
        sb.append("{\"name\":");
        Json.string(cluster, sb);
        sb.append(",\"endpoints\":[");
        firstEndpoint = true;
      }
      sb.append(firstEndpoint ? "" : ",").append("{\"address\":");
      firstEndpoint = false;
      Json.string(e.endpoint(), sb);
      sb.append(",\"state\":\"")
          .append(ClustersReport.state(e))
          .append("\",\"healthy\":")
          .append(e.healthy())
          .append(",\"ejected\":")
          .append(e.ejected())
          .append(",\"ejections\":")
          .append(e.ejections())
          .append(",\"in_flight\":")
          .append(e.inFlight())
          .append(",\"connections\":")
          .append(e.connections())
          .append(",\"weight\":")
          .append(e.weight())
          .append('}');
    }
    if (cluster != null) {
      endCluster(cluster, counts, points, sb);
    }
    sb.append(']');
  }

  private static void endCluster(
      String cluster,
      Map<String, long[]> counts,
      Map<String, List<CallHistory.Point>> points,
      StringBuilder sb) {
    long[] c = counts.getOrDefault(cluster, new long[2]);
    sb.append("],\"calls\":").append(c[0]).append(",\"errors\":").append(c[1]);
    points(points.getOrDefault(cluster, List.of()), sb);
    sb.append('}');
  }

  private static void routes(
      List<CallTotals> totals, List<CallHistory.Series> history, StringBuilder sb) {
    Map<String, List<CallHistory.Point>> points = new LinkedHashMap<>();
    history.forEach(s -> points.put(s.route() + '\0' + s.cluster(), s.points()));
    sb.append(",\"routes\":[");
    for (int i = 0; i < totals.size(); i++) {
      CallTotals t = totals.get(i);
      sb.append(i == 0 ? "" : ",").append("{\"route\":");
      Json.string(t.route(), sb);
      sb.append(",\"cluster\":");
      Json.string(t.cluster(), sb);
      sb.append(",\"calls\":").append(t.calls()).append(",\"errors\":").append(t.errors());
      points(points.getOrDefault(t.route() + '\0' + t.cluster(), List.of()), sb);
      sb.append('}');
    }
    sb.append(']');
  }

  private static void points(List<CallHistory.Point> points, StringBuilder sb) {
    sb.append(",\"points\":[");
    for (int i = 0; i < points.size(); i++) {
      CallHistory.Point p = points.get(i);
      sb.append(i == 0 ? "" : ",")
          .append("{\"time_ms\":")
          .append(p.timeMillis())
          .append(",\"calls_per_second\":")
          .append(number(p.callsPerSecond()))
          .append(",\"error_ratio\":")
          .append(number(p.errorRatio()))
          .append(",\"p50_ms\":")
          .append(number(p.p50Millis()))
          .append(",\"p90_ms\":")
          .append(number(p.p90Millis()))
          .append(",\"p99_ms\":")
          .append(number(p.p99Millis()))
          .append('}');
    }
    sb.append(']');
  }

  private static void failures(List<AccessLogEntry> failures, StringBuilder sb) {
    sb.append(",\"failed_calls\":[");
    for (int i = 0; i < failures.size(); i++) {
      AccessLogEntry e = failures.get(i);
      sb.append(i == 0 ? "" : ",").append("{\"time_ms\":").append(e.startMillis());
      sb.append(",\"duration_ms\":").append(number(e.durationNanos() / 1e6));
      sb.append(",\"client\":");
      Json.string(AddressText.of(e.client()), sb);
      sb.append(",\"method\":");
      Json.string(e.httpMethod(), sb);
      sb.append(",\"path\":");
      Json.string(e.path(), sb);
      sb.append(",\"authority\":");
      Json.string(e.authority(), sb);
      sb.append(",\"http_status\":").append(e.httpStatus());
      sb.append(",\"grpc_status\":").append(e.grpcStatus());
      sb.append(",\"upstream\":");
      Json.string(e.upstream(), sb);
      sb.append(",\"reason\":");
      Json.string(e.reason(), sb);
      sb.append(",\"detail\":");
      Json.string(e.detail(), sb);
      sb.append(",\"attempts\":[");
      List<UpstreamAttempt> attempts = e.attempts() == null ? List.of() : e.attempts();
      for (int j = 0; j < attempts.size(); j++) {
        sb.append(j == 0 ? "" : ",").append("{\"endpoint\":");
        Json.string(attempts.get(j).endpoint(), sb);
        sb.append(",\"outcome\":");
        Json.string(attempts.get(j).outcome(), sb);
        sb.append('}');
      }
      sb.append("]}");
    }
    sb.append(']');
  }

  /** Three decimals at most, and never NaN or Infinity, which JSON has no words for. */
  private static String number(double v) {
    if (!Double.isFinite(v)) {
      return "0";
    }
    return String.format(Locale.ROOT, "%.3f", v).replaceAll("\\.?0+$", "");
  }
}
