package dev.ferry.cli.importer.nginx;

import dev.ferry.cli.importer.nginx.ClusterMapper.Protocol;
import dev.ferry.cli.importer.nginx.YamlTree.Mapping;
import dev.ferry.cli.importer.nginx.YamlTree.Sequence;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps an {@code upstream} block to a cluster: its servers to endpoints (weights kept), its method
 * to a balance policy, and {@code max_fails}/{@code fail_timeout} to passive outlier ejection.
 */
final class UpstreamMapper {
  private final ImportReport report;

  UpstreamMapper(ImportReport report) {
    this.report = report;
  }

  /** A server line that became an endpoint. */
  private record Server(Directive where, String address, int weight) {}

  void fill(Directive upstream, Protocol protocol, Mapping cluster) {
    List<Server> servers = new ArrayList<>();
    Directive failures = null;
    for (Directive s : upstream.children("server")) {
      Server server = server(s, protocol);
      if (server != null) {
        servers.add(server);
        if (failures == null && (hasParam(s, "max_fails=") || hasParam(s, "fail_timeout="))) {
          failures = s;
        }
      }
    }
    if (servers.isEmpty()) {
      return;
    }
    String balance = balance(upstream);
    boolean weighted = servers.stream().anyMatch(s -> s.weight != 1);
    if (weighted && balance == null) {
      balance = "weighted_round_robin";
    } else if (weighted) {
      for (Server s : servers) {
        if (s.weight != 1) {
          report.notConverted(
              s.where,
              "ferry weighs endpoints only with weighted_round_robin, not with " + balance);
        }
      }
      weighted = false;
    }
    Sequence endpoints = new Sequence();
    for (Server s : servers) {
      String address = protocol.ferryScheme + s.address;
      Object entry =
          weighted ? new Mapping().put("address", address).put("weight", s.weight) : address;
      endpoints.add(entry, s.where.where());
    }
    cluster.put("endpoints", endpoints);
    if (balance != null) {
      cluster.put("balance", balance.startsWith("ring_hash:") ? ringHash(balance) : balance);
    }
    if (failures != null) {
      outlier(failures, cluster);
    }
  }

  private Server server(Directive s, Protocol protocol) {
    String address = s.arg(0);
    String hostPort =
        address.startsWith("unix:")
            ? address // ferry's endpoints take nginx's unix:/path as it is
            : NginxValues.hostPort(address, protocol.defaultPort());
    if (hostPort == null) {
      report.notConverted(s, "expected host:port");
      return null;
    }
    int weight = 1;
    for (String p : s.args().subList(1, s.args().size())) {
      if (p.equals("down")) {
        report.note(s, "marked down: left out of the cluster");
        return null;
      } else if (p.equals("backup")) {
        report.notConverted(
            s,
            "ferry has no backup endpoints (used only when the others are down): left out;"
                + " add it to endpoints to balance over it always");
        return null;
      } else if (p.startsWith("weight=")) {
        Integer w = NginxValues.count(p.substring("weight=".length()));
        if (w == null || w == 0) {
          report.notConverted(s, "expected weight=N, N at least 1");
        } else {
          weight = w;
        }
      } else if (p.startsWith("max_fails=") || p.startsWith("fail_timeout=")) {
        continue;
      } else if (p.startsWith("max_conns=")) {
        report.notConverted(
            s, "ferry caps calls per cluster (max_in_flight), not connections per server");
      } else {
        report.notConverted(s, "ferry has no counterpart for the server parameter '" + p + "'");
      }
    }
    report.converted(s);
    return new Server(s, hostPort, weight);
  }

  private static boolean hasParam(Directive s, String prefix) {
    return s.args().stream().anyMatch(a -> a.startsWith(prefix));
  }

  /** The balance policy the upstream's method maps to, or {@code null} for nginx's default. */
  private String balance(Directive upstream) {
    String balance = null;
    for (Directive d : upstream.block()) {
      switch (d.name()) {
        case "server" -> {}
        case "least_conn" -> {
          balance = "least_request";
          report.converted(d);
        }
        case "random" -> {
          balance = "random";
          if (d.args().isEmpty()) {
            report.converted(d);
          } else {
            report.note(d, "ferry's random picks one endpoint at random, not the better of two");
          }
        }
        case "hash" -> {
          String key = d.arg(0);
          if (key.matches("\\$http_[a-z0-9_]+")) {
            balance = "ring_hash:" + key.substring("$http_".length()).replace('_', '-');
            if (d.args().contains("consistent")) {
              report.converted(d);
            } else {
              report.note(
                  d, "ferry's ring hash is always consistent (ketama), as with 'consistent'");
            }
          } else {
            report.notConverted(d, "ferry hashes a request header ($http_NAME), not '" + key + "'");
          }
        }
        case "ip_hash" ->
            report.notConverted(
                d,
                "ferry hashes a request header, not the client address: ring_hash on a header such"
                    + " as x-user-id is the nearest");
        case "keepalive", "keepalive_timeout", "keepalive_requests", "keepalive_time" ->
            report.ignored(d, "ferry keeps its upstream connections open and reuses them itself");
        case "zone" -> report.ignored(d, "ferry's cluster state is shared by every event loop");
        default -> report.notConverted(d, "ferry has no counterpart in a cluster");
      }
    }
    return balance;
  }

  private static Mapping ringHash(String balance) {
    return new Mapping()
        .put("ring_hash", new Mapping().put("header", balance.substring("ring_hash:".length())));
  }

  private void outlier(Directive server, Mapping cluster) {
    int maxFails = 1;
    String failTimeout = "10s";
    for (String p : server.args()) {
      if (p.startsWith("max_fails=")) {
        Integer n = NginxValues.count(p.substring("max_fails=".length()));
        maxFails = n == null ? maxFails : n;
      } else if (p.startsWith("fail_timeout=")) {
        String d = NginxValues.duration(p.substring("fail_timeout=".length()));
        failTimeout = d == null ? failTimeout : d;
      }
    }
    if (maxFails == 0) {
      return;
    }
    cluster.put(
        "outlier_detection",
        new Mapping()
            .put("consecutive_failures", maxFails)
            .put("base_ejection_time", failTimeout)
            .put("max_ejection_time", failTimeout),
        server.where()
            + ": max_fails/fail_timeout (nginx counts failures within fail_timeout; ferry counts"
            + " them in a row)");
    report.note(
        server,
        "max_fails/fail_timeout became outlier_detection: ferry ejects after failures in a row"
            + " and keeps at least one endpoint in, nginx counts them within fail_timeout");
  }
}
