package dev.ferry.cli.importer.nginx;

import dev.ferry.cli.importer.nginx.YamlTree.Mapping;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps {@code access_log} (and the {@code log_format} it names) to ferry's one access log: its
 * path, and json where nginx's format escapes for JSON; ferry writes its own fields either way.
 */
final class AccessLogMapper {
  private AccessLogMapper() {}

  /** The access_log mapping, or {@code null} when logging is off or not set. */
  static Mapping toYaml(Directive http, ImportReport report) {
    List<Directive> logs = new ArrayList<>();
    collect(http, logs);
    Mapping chosen = null;
    Directive first = null;
    for (Directive d : logs) {
      if (d.arg(0).equals("off")) {
        report.converted(d);
        continue;
      }
      if (first != null) {
        if (d.arg(0).equals(first.arg(0))) {
          report.converted(d);
        } else {
          report.note(d, "ferry has one access log, the one of " + first.where());
        }
        continue;
      }
      String path = d.arg(0);
      if (path.startsWith("syslog:") || path.contains("$")) {
        report.notConverted(d, "ferry logs to a file or standard output");
        continue;
      }
      first = d;
      chosen = new Mapping();
      chosen.put("path", path.equals("/dev/stdout") ? "-" : path, d.where() + ": " + d.text());
      chosen.put("format", format(d, http, report));
      if (!path.startsWith("/")) {
        report.note(d, "nginx reads a relative path from its prefix, ferry from its directory");
      }
    }
    return chosen;
  }

  private static String format(Directive log, Directive http, ImportReport report) {
    String name = log.args().size() > 1 ? log.arg(1) : "combined";
    for (Directive f : http.children("log_format")) {
      if (f.arg(0).equals(name)) {
        boolean json = f.args().contains("escape=json");
        report.note(
            f,
            "ferry writes its own fields (time, client, request, grpc-status, reason, upstream,"
                + " bytes, duration)"
                + (json ? ", as JSON" : ", as text"));
        report.converted(log);
        return json ? "json" : "text";
      }
    }
    report.converted(log);
    return "text";
  }

  private static void collect(Directive block, List<Directive> out) {
    for (Directive d : block.block()) {
      if (d.name().equals("access_log")) {
        out.add(d);
      } else if (d.isBlock() && (d.name().equals("server") || d.name().equals("location"))) {
        collect(d, out);
      }
    }
  }
}
