package dev.ferry.cli.importer.nginx;

import dev.ferry.cli.importer.nginx.YamlTree.Mapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Carries the per-request settings in effect in a location over to its route: header rules, access
 * rules, rate limits, the request size, and the upstream timeouts and retries that ferry keeps per
 * cluster.
 */
final class RoutePolicies {
  private final Directive http;
  private final ClusterMapper clusters;
  private final ImportReport report;
  private final ConfPaths paths;

  RoutePolicies(Directive http, ClusterMapper clusters, ConfPaths paths, ImportReport report) {
    this.http = http;
    this.paths = paths;
    this.clusters = clusters;
    this.report = report;
  }

  /** Adds to {@code route} what {@code scope} sets; {@code grpc} tells grpc_* from proxy_*. */
  void apply(Scope scope, Mapping route, String cluster, boolean grpc) {
    String p = grpc ? "grpc_" : "proxy_";
    if (cluster != null) {
      upstreamSettings(scope, cluster, p);
      upstreamTls(scope, cluster, p);
      requestHeaders(scope, route, p);
      responseHeaders(scope, route, p);
    }
    addHeaders(scope, route);
    bodySize(scope, route);
    acl(scope, route);
    rateLimit(scope, route);
  }

  private void upstreamSettings(Scope scope, String cluster, String p) {
    Directive connect = scope.last(p + "connect_timeout");
    if (connect != null) {
      String d = NginxValues.duration(connect.arg(0));
      if (d == null) {
        report.notConverted(connect, "expected a time such as 5s");
      } else {
        clusters.setting(cluster, "connect_timeout", d, connect);
      }
    }
    for (String name : List.of(p + "read_timeout", p + "send_timeout")) {
      Directive t = scope.last(name);
      if (t != null) {
        report.note(
            t,
            "not needed: ferry never ends a call for being quiet between messages (a deadline is"
                + " the client's grpc-timeout; a route's timeout: { max } caps a whole call)");
      }
    }
    Directive next = scope.last(p + "next_upstream");
    if (next != null) {
      nextUpstream(next, cluster);
    }
    Directive tries = scope.last(p + "next_upstream_tries");
    if (tries != null && tries.arg(0).matches("\\d{1,9}") && !tries.arg(0).equals("0")) {
      clusters.setting(
          cluster, "connect_retries", Math.min(100, Integer.parseInt(tries.arg(0)) - 1), tries);
    } else if (tries != null) {
      report.converted(tries);
    }
  }

  /** {@code grpc_ssl_*}: how ferry checks a grpcs:// (proxy_ssl_*: https://) backend. */
  private void upstreamTls(Scope scope, String cluster, String p) {
    Mapping tls = new Mapping();
    Directive first = null;
    String[][] keys = {
      {"ssl_trusted_certificate", "ca"},
      {"ssl_name", "server_name"},
      {"ssl_certificate", "cert"},
      {"ssl_certificate_key", "key"}
    };
    for (String[] key : keys) {
      Directive d = scope.last(p + key[0]);
      if (d == null) {
        continue;
      }
      if (d.arg(0).contains("$") || !clusters.usesTls(cluster)) {
        report.notConverted(
            d,
            clusters.usesTls(cluster)
                ? "ferry's TLS settings are fixed; it has no nginx variables"
                : "the backend is reached without TLS, so it has no effect");
        continue;
      }
      String value = key[1].equals("server_name") ? d.arg(0) : paths.absolute(d.arg(0));
      tls.put(key[1], value, d.where());
      first = first == null ? d : first;
    }
    Directive verify = scope.last(p + "ssl_verify");
    boolean verifies = verify != null && verify.arg(0).equals("on");
    if (verify != null) {
      report.converted(verify);
    }
    if (clusters.usesTls(cluster) && !verifies) {
      report.note(
          verify != null ? verify : scope.innermost(),
          "nginx does not check the backend's certificate ("
              + p
              + "ssl_verify is off by default); ferry does, against the system's CAs or tls.ca;"
              + " give the cluster tls: { insecure: true } to do as nginx");
    }
    if (first != null) {
      clusters.setting(cluster, "tls", tls, first);
      for (String[] key : keys) {
        Directive d = scope.last(p + key[0]);
        if (d != null && !report.isSeen(d)) {
          report.converted(d);
        }
      }
    }
  }

  private void nextUpstream(Directive next, String cluster) {
    List<String> other = new ArrayList<>();
    for (String a : next.args()) {
      if (a.equals("off")) {
        clusters.setting(cluster, "connect_retries", 0, next);
        return;
      }
      if (!a.equals("error") && !a.equals("timeout")) {
        other.add(a);
      }
    }
    if (other.isEmpty()) {
      // error and timeout are what ferry's connect_retries covers: the default, as in nginx.
      int n = clusters.endpointCount(cluster);
      if (n > 2) {
        clusters.setting(cluster, "connect_retries", n - 1, next);
      } else {
        report.converted(next);
      }
      return;
    }
    report.notConverted(
        next,
        "ferry retries a connect failure by itself; to retry after a backend's answer, give the"
            + " route retry: { on: [unavailable] } (gRPC statuses, not "
            + String.join(" ", other)
            + ")");
  }

  private void requestHeaders(Scope scope, Mapping route, String p) {
    for (Directive d : scope.effective(p + "set_header")) {
      String name = d.arg(0).toLowerCase(Locale.ROOT);
      String value = d.arg(1);
      if (value.contains("$")) {
        report.notConverted(d, "ferry sets header values as written; it has no nginx variables");
      } else if (name.startsWith(":") || name.equals("host")) {
        report.notConverted(d, "ferry keeps the request's :authority as the client sent it");
      } else if (value.isEmpty()) {
        route.mapping("request_headers").sequence("remove").add(name, d.where());
        report.converted(d);
      } else {
        route.mapping("request_headers").mapping("set").put(name, value, d.where());
        report.converted(d);
      }
    }
  }

  private void responseHeaders(Scope scope, Mapping route, String p) {
    for (Directive d : scope.effective(p + "hide_header")) {
      route
          .mapping("response_headers")
          .sequence("remove")
          .add(d.arg(0).toLowerCase(Locale.ROOT), d.where());
      report.converted(d);
    }
  }

  private void addHeaders(Scope scope, Mapping route) {
    for (Directive d : scope.effective("add_header")) {
      String name = d.arg(0).toLowerCase(Locale.ROOT);
      if (route.has("direct_reply") && name.startsWith("grpc-")) {
        continue; // part of the direct_reply
      }
      if (d.arg(1).contains("$")) {
        report.notConverted(d, "ferry adds header values as written; it has no nginx variables");
        continue;
      }
      route.mapping("response_headers").mapping("add").put(name, d.arg(1), d.where());
      if (d.args().contains("always")) {
        report.converted(d);
      } else {
        report.note(
            d,
            "without 'always' nginx adds it to 2xx and 3xx responses only; ferry adds it to every"
                + " response");
      }
    }
  }

  private void bodySize(Scope scope, Mapping route) {
    Directive d = scope.last("client_max_body_size");
    if (d == null) {
      return;
    }
    Long n = NginxValues.bytes(d.arg(0));
    if (n == null) {
      report.notConverted(d, "expected a size such as 4m");
    } else if (n == 0) {
      report.converted(d);
    } else {
      route.put(
          "max_request_message_size", NginxValues.formatBytes(n), d.where() + ": " + d.text());
      report.note(
          d,
          "became max_request_message_size: ferry limits each gRPC message, nginx the whole"
              + " request body");
    }
  }

  private void acl(Scope scope, Mapping route) {
    List<Directive> rules = scope.effective("allow", "deny");
    if (rules.isEmpty()) {
      return;
    }
    Mapping acl = AccessRules.toAcl(rules, report);
    if (acl != null) {
      route.put("acl", acl, rules.get(0).where() + ": allow/deny");
    }
  }

  private void rateLimit(Scope scope, Mapping route) {
    List<Directive> limits = scope.effective("limit_req");
    if (limits.isEmpty()) {
      return;
    }
    for (Directive extra : limits.subList(1, limits.size())) {
      report.notConverted(extra, "ferry applies one rate limit per route");
    }
    Mapping rate = RateLimits.toRateLimit(limits.get(0), http, report);
    if (rate != null) {
      route.put("rate_limit", rate, limits.get(0).where() + ": " + limits.get(0).text());
    }
  }
}
