package dev.ferry.cli.importer.nginx;

import dev.ferry.cli.importer.nginx.YamlTree.Mapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Maps a server's locations to routes in an order where ferry's first match takes the request
 * nginx's location search would: exact gRPC methods first, then each prefix before the shorter ones
 * it extends (nested locations flattened, their settings inherited from the enclosing ones).
 */
final class LocationMapper {
  private static final Pattern METHOD = Pattern.compile("/[A-Za-z_][\\w.]*/[A-Za-z_]\\w*");
  private static final Set<String> REDIRECTS = Set.of("301", "302", "303", "307", "308");

  /** A route and the nginx location it came from. */
  record Route(Mapping mapping, String comment) {}

  /** One location with the scope it is looked up in. */
  private record Location(Directive directive, Scope scope, String modifier, String path) {}

  private final ClusterMapper clusters;
  private final RoutePolicies policies;
  private final ImportReport report;

  LocationMapper(ClusterMapper clusters, RoutePolicies policies, ImportReport report) {
    this.clusters = clusters;
    this.policies = policies;
    this.report = report;
  }

  /** The routes of the server in {@code server}, each matching {@code authority} when given. */
  List<Route> routes(Scope server, String authority) {
    Directive serverReturn =
        server.innermost().children("return").stream().findFirst().orElse(null);
    if (serverReturn != null) {
      Mapping route = new Mapping();
      route.put("match", authority == null ? new Mapping() : match(null, null, authority));
      return directReply(serverReturn, server, route)
          ? List.of(
              new Route(route, serverReturn.where() + ": server-level " + serverReturn.text()))
          : List.of();
    }
    List<Location> all = new ArrayList<>();
    collect(server, all);
    ErrorPages errorPages = new ErrorPages(server, report);
    List<Location> exact = new ArrayList<>();
    List<Location> prefixes = new ArrayList<>();
    for (Location l : all) {
      Directive d = l.directive;
      switch (l.modifier) {
        case "=" -> {
          if (errorPages.isGrpcErrorLocation(d)) {
            continue;
          }
          if (METHOD.matcher(l.path).matches()) {
            exact.add(l);
          } else {
            report.notConverted(
                d, "ferry matches an exact path only as a gRPC method (/package.Service/Method)");
            report.coveredBy(d);
          }
        }
        case "~", "~*" -> {
          report.notConverted(
              d,
              "ferry matches paths by prefix and gRPC service or method, not by regex; requests"
                  + " this location would take go to the longest matching prefix instead");
          report.coveredBy(d);
        }
        case "@" -> {
          if (!errorPages.isGrpcErrorLocation(d)) {
            report.notConverted(d, "a named location: ferry has no internal redirects");
            report.coveredBy(d);
          }
        }
        default -> prefixes.add(l);
      }
    }
    // A prefix goes before every shorter prefix of it: with first-match routes that is nginx's
    // longest-prefix rule, and unrelated locations keep the file's order.
    List<Location> ordered = new ArrayList<>();
    for (Location l : prefixes) {
      int at = ordered.size();
      for (int i = 0; i < ordered.size(); i++) {
        if (l.path.startsWith(ordered.get(i).path)) {
          at = i;
          break;
        }
      }
      ordered.add(at, l);
    }
    prefixes = ordered;
    List<Route> routes = new ArrayList<>();
    for (Location l : exact) {
      route(l, match(null, l.path.substring(1), authority), errorPages, routes);
    }
    for (Location l : prefixes) {
      route(l, match(l.path, null, authority), errorPages, routes);
    }
    return routes;
  }

  private static Mapping match(String prefix, String method, String authority) {
    Mapping m = new Mapping();
    if (method != null) {
      m.put("method", method);
    }
    if (prefix != null) {
      m.put("prefix", prefix);
    }
    if (authority != null) {
      m.put("authority", authority);
    }
    return m;
  }

  private void collect(Scope scope, List<Location> out) {
    for (Directive d : scope.innermost().children("location")) {
      report.converted(d);
      String modifier = "";
      String path = d.arg(0);
      if (d.args().size() == 2) {
        modifier = d.arg(0);
        path = d.arg(1);
      } else if (path.startsWith("@")) {
        modifier = "@";
      } else if (path.startsWith("=") || path.startsWith("~")) {
        // nginx also reads "=/path" and "~regex" written without a space.
        modifier = path.startsWith("~*") ? "~*" : path.substring(0, 1);
        path = path.substring(modifier.length());
      }
      Scope inner = scope.inside(d);
      out.add(new Location(d, inner, modifier, path));
      collect(inner, out);
    }
  }

  private void route(Location l, Mapping match, ErrorPages errorPages, List<Route> out) {
    Mapping route = new Mapping();
    route.put("match", match);
    Directive d = l.directive;
    Directive ret = d.children("return").stream().findFirst().orElse(null);
    Directive grpcPass = d.children("grpc_pass").stream().findFirst().orElse(null);
    Directive proxyPass = d.children("proxy_pass").stream().findFirst().orElse(null);
    String comment = d.where() + ": " + d.text();
    String cluster = null;
    if (ret != null) {
      if (!directReply(ret, l.scope, route)) {
        return;
      }
    } else if (grpcPass != null || proxyPass != null) {
      cluster = clusters.clusterFor(grpcPass != null ? grpcPass : proxyPass);
      if (cluster == null) {
        return;
      }
      Directive pass = grpcPass != null ? grpcPass : proxyPass;
      route.put("cluster", cluster, pass.where() + ": " + pass.text());
    } else {
      report.notConverted(
          d,
          "no grpc_pass, proxy_pass or return: nginx serves files here, and ferry serves no"
              + " files");
      return;
    }
    String errorNote = errorPages.apply(l.scope);
    if (errorNote != null) {
      comment += "\n" + errorNote;
    }
    policies.apply(l.scope, route, cluster, grpcPass != null);
    out.add(new Route(route, comment));
  }

  /** Puts a direct_reply for {@code ret} into {@code route}; false after reporting. */
  private boolean directReply(Directive ret, Scope scope, Mapping route) {
    String code = ret.arg(0);
    String text = ret.args().size() > 1 ? ret.arg(1) : null;
    if (!code.matches("\\d{3}")) {
      report.notConverted(ret, "a redirect to a URL: ferry's direct_reply sets no Location");
      return false;
    }
    int status = Integer.parseInt(code);
    if (REDIRECTS.contains(code) || status == 444 || status < 200 || status > 599) {
      report.notConverted(
          ret,
          status == 444
              ? "nginx closes the connection without a reply; ferry always answers"
              : "ferry's direct_reply has statuses 200-599 and no Location header");
      return false;
    }
    if (text != null && text.contains("$")) {
      report.notConverted(ret, "ferry's reply text is fixed; it has no nginx variables");
      return false;
    }
    Mapping reply = new Mapping();
    String grpcStatus = ErrorPages.headerValue(scope, "grpc-status");
    if (grpcStatus != null) {
      reply.put("grpc_status", grpcStatus);
      String message = ErrorPages.headerValue(scope, "grpc-message");
      if (message != null) {
        reply.put("message", message);
      }
      ErrorPages.markGrpcReply(scope, report);
    } else {
      reply.put("http_status", status);
      if (text != null) {
        reply.put("message", text);
      }
    }
    route.put("direct_reply", reply, ret.where() + ": " + ret.text());
    report.converted(ret);
    return true;
  }
}
