package dev.ferry.cli.importer.nginx;

import dev.ferry.cli.importer.nginx.YamlTree.Mapping;
import dev.ferry.cli.importer.nginx.YamlTree.Sequence;
import dev.ferry.proxy.config.ConfigError;
import dev.ferry.proxy.config.ConfigException;
import dev.ferry.proxy.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The conversion of one nginx configuration: parse it, map servers, locations and upstreams to
 * ferry's listeners, routes and clusters, report the rest, and check the YAML as {@code ferry serve
 * --check} reads it.
 */
public final class NginxImport {
  /**
   * What came of it: the YAML, the report, and the errors ferry's config reader found in the YAML
   * (none when the conversion worked; with some, nothing usable was made).
   */
  public record Result(String yaml, ImportReport report, List<String> problems) {}

  private NginxImport() {}

  /** Converts {@code file}; {@code outputName} is what the YAML will be called, for its errors. */
  public static Result convert(Path file, String outputName)
      throws NginxSyntaxException, IOException {
    List<Directive> top = NginxParser.parse(file);
    ImportReport report = new ImportReport();
    Directive main = new Directive("main", List.of(), file.toString(), 1, top);
    List<Directive> https = main.children("http");
    // A file of server blocks alone (a sites-enabled/ file) is read as if inside http.
    Directive http = https.isEmpty() ? main : https.get(0);
    for (Directive extra : https.subList(Math.min(1, https.size()), https.size())) {
      report.notConverted(extra, "nginx allows one http block");
    }
    report.converted(http);

    ClusterMapper clusters = new ClusterMapper(http, report);
    ConfPaths paths = new ConfPaths(file.toAbsolutePath().getParent());
    RoutePolicies policies = new RoutePolicies(http, clusters, paths, report);
    LocationMapper locations = new LocationMapper(clusters, policies, report);
    ListenerTls tls = new ListenerTls(paths, report);
    Sequence listeners = new ServerMapper(locations, tls, report).listeners(Scope.of(http));
    Mapping accessLog = AccessLogMapper.toYaml(http, report);
    for (Directive u : clusters.unusedUpstreams()) {
      report.ignored(u, "no location ferry converted passes requests to it");
      report.coveredBy(u);
    }
    LeftoverDirectives.report(main, report);

    if (listeners.isEmpty()) {
      return new Result(
          "",
          report,
          List.of(file + ": no server with a location ferry can route to: nothing to write"));
    }
    Mapping root = new Mapping();
    root.put("listeners", listeners);
    root.put("clusters", clusters.toYaml());
    if (accessLog != null) {
      root.put("access_log", accessLog);
    }
    String yaml = YamlWriter.write(header(file, outputName, report), root);
    List<String> problems = new ArrayList<>();
    try {
      ConfigLoader.parse(outputName, yaml);
    } catch (ConfigException e) {
      for (ConfigError error : e.errors()) {
        problems.add(error.toString());
      }
    }
    return new Result(yaml, report, problems);
  }

  private static List<String> header(Path file, String outputName, ImportReport report) {
    List<String> lines = new ArrayList<>();
    lines.add(outputName + ": converted from " + file + " by `ferry import nginx`.");
    lines.add("Each entry names the nginx file:line it came from.");
    lines.add("Check it with: ferry serve --check -c " + outputName);
    List<ImportReport.Entry> missing =
        report.entries().stream().filter(e -> e.kind() == ImportReport.Kind.NOT_CONVERTED).toList();
    if (!missing.isEmpty()) {
      lines.add("");
      lines.add("Not converted (ferry has no counterpart, or not one that behaves the same):");
      for (ImportReport.Entry e : missing) {
        lines.add("  " + e);
      }
    }
    lines.add("");
    return lines;
  }
}
