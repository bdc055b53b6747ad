package dev.ferry.proxy.admin;

import dev.ferry.proxy.metrics.EndpointStats;
import java.util.List;
import java.util.Objects;

/** {@code /clusters}: every endpoint's state, as aligned text for people or JSON for scripts. */
final class ClustersReport {
  private ClustersReport() {}

  /**
   * One block per cluster:
   *
   * <pre>
   * daininki
   *   127.0.0.1:50052 healthy in_flight=3 connections=2 weight=1 ejections=0
   *   127.0.0.1:50053 ejected in_flight=0 connections=0 weight=1 ejections=2
   * </pre>
   */
  static String text(List<EndpointStats> stats) {
    StringBuilder sb = new StringBuilder(256);
    String cluster = null;
    for (EndpointStats e : stats) {
      if (!Objects.equals(cluster, e.cluster())) {
        cluster = e.cluster();
        sb.append(cluster).append('\n');
      }
      sb.append("  ")
          .append(e.endpoint())
          .append(' ')
          .append(state(e))
          .append(" in_flight=")
          .append(e.inFlight())
          .append(" connections=")
          .append(e.connections())
          .append(" weight=")
          .append(e.weight())
          .append(" ejections=")
          .append(e.ejections())
          .append('\n');
    }
    return sb.toString();
  }

  /** {@code {"clusters":[{"name":..., "endpoints":[{...}]}]}}. */
  static String json(List<EndpointStats> stats) {
    StringBuilder sb = new StringBuilder(256).append("{\"clusters\":[");
    String cluster = null;
    boolean firstEndpoint = true;
    for (EndpointStats e : stats) {
      if (!Objects.equals(cluster, e.cluster())) {
        if (cluster != null) {
          sb.append("]},");
        }
        cluster = e.cluster();
        sb.append("{\"name\":");
        Json.string(cluster, sb);
        sb.append(",\"endpoints\":[");
        firstEndpoint = true;
      }
      if (!firstEndpoint) {
        sb.append(',');
      }
      firstEndpoint = false;
      sb.append("{\"address\":");
      Json.string(e.endpoint(), sb);
      sb.append(",\"state\":\"")
          .append(state(e))
          .append("\",\"healthy\":")
          .append(e.healthy())
          .append(",\"ejected\":")
          .append(e.ejected())
          .append(",\"in_flight\":")
          .append(e.inFlight())
          .append(",\"connections\":")
          .append(e.connections())
          .append(",\"weight\":")
          .append(e.weight())
          .append(",\"ejections\":")
          .append(e.ejections())
          .append('}');
    }
    if (cluster != null) {
      sb.append("]}");
    }
    return sb.append("]}\n").toString();
  }

  static String state(EndpointStats e) {
    // Failing active checks is the longer-lived state, so it is the one shown when both hold.
    if (!e.healthy()) {
      return "unhealthy";
    }
    return e.ejected() ? "ejected" : "healthy";
  }
}
