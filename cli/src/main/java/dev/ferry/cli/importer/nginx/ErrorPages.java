package dev.ferry.cli.importer.nginx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Recognises the article's {@code error_page 502 = /error502grpc} trick: an error page that is a
 * location answering with {@code add_header grpc-status} and {@code return}. ferry needs nothing
 * for it, since every call it cannot pass on gets a gRPC status from ferry itself.
 */
final class ErrorPages {
  private final Map<String, Directive> grpcErrorLocations = new LinkedHashMap<>();
  private final ImportReport report;

  ErrorPages(Scope server, ImportReport report) {
    this.report = report;
    find(server.innermost(), server);
  }

  private void find(Directive block, Scope scope) {
    for (Directive l : block.children("location")) {
      Scope inner = scope.inside(l);
      String uri = l.args().size() == 2 && l.arg(0).equals("=") ? l.arg(1) : l.arg(0);
      boolean exactOrNamed = (l.args().size() == 2 && l.arg(0).equals("=")) || uri.startsWith("@");
      if (exactOrNamed
          && headerValue(inner, "grpc-status") != null
          && !l.children("return").isEmpty()) {
        grpcErrorLocations.put(uri, l);
      }
      find(l, inner);
    }
  }

  /** Whether {@code location} is such an error page: it needs no route of its own. */
  boolean isGrpcErrorLocation(Directive location) {
    if (!grpcErrorLocations.containsValue(location)) {
      return false;
    }
    for (Directive d : location.block()) {
      report.converted(d);
    }
    return true;
  }

  /**
   * Reports the {@code error_page}s in effect in {@code scope}, and returns the comment for the
   * route when they are the gRPC trick, else {@code null}.
   */
  String apply(Scope scope) {
    List<String> handled = new ArrayList<>();
    for (Directive page : scope.effective("error_page")) {
      String uri = page.arg(page.args().size() - 1);
      Directive target = grpcErrorLocations.get(uri);
      if (target == null) {
        report.notConverted(
            page,
            "ferry has no error pages: it answers a gRPC call with a gRPC status, plain HTTP with"
                + " its HTTP status");
        continue;
      }
      report.converted(page);
      handled.add(
          page.where() + ": " + page.text() + " and " + target.where() + ": " + target.text());
    }
    if (handled.isEmpty()) {
      return null;
    }
    StringJoiner j = new StringJoiner("; ");
    handled.forEach(j::add);
    return "nginx: "
        + j
        + ":\n  nothing to write: ferry answers a call no backend can take with grpc-status 14"
        + " (UNAVAILABLE) itself, with a ferry-local-reply trailer saying why";
  }

  /** The value of {@code add_header NAME VALUE} in effect in {@code scope}, or {@code null}. */
  static String headerValue(Scope scope, String name) {
    for (Directive d : scope.effective("add_header")) {
      if (d.arg(0).equalsIgnoreCase(name)) {
        return d.arg(1);
      }
    }
    return null;
  }

  /** Marks the headers and content type that make a location's reply a gRPC one as converted. */
  static void markGrpcReply(Scope scope, ImportReport report) {
    for (Directive d : scope.effective("add_header", "default_type")) {
      if (d.name().equals("default_type") || d.arg(0).toLowerCase().startsWith("grpc-")) {
        report.converted(d);
      }
    }
  }
}
