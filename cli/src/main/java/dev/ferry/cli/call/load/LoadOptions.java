package dev.ferry.cli.call.load;

import dev.ferry.cli.option.DurationOption;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Load mode (what ghz does): how many calls, how many at once, over how many connections. */
public final class LoadOptions {
  @Option(
      names = {"-n", "--total"},
      paramLabel = "N",
      description = "Load mode: make N calls, then print a latency summary.")
  Long total;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      converter = DurationOption.class,
      description =
          "Load mode: make calls for this long (like 30s); with -n, whichever ends first.")
  Duration duration;

  @Option(
      names = "--warmup",
      paramLabel = "DURATION",
      converter = DurationOption.class,
      description =
          "Load mode: make calls for this long first and leave them out of the figures and of -n"
              + " (like h2load's --warm-up-time).")
  Duration warmup;

  @Option(
      names = {"-c", "--concurrency"},
      paramLabel = "C",
      defaultValue = "50",
      description = "Load mode: calls in flight at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--connections",
      paramLabel = "K",
      description =
          "Load mode: HTTP/2 connections the calls are spread over (default: one per CPU core,"
              + " at most -c).")
  Integer connections;

  @Option(
      names = "--rps",
      paramLabel = "R",
      description = "Load mode: start at most R calls per second (default: as fast as possible).")
  Double rps;

  @Option(
      names = "--slo",
      paramLabel = "CHECKS",
      description =
          "Load mode: exit 1 unless every check holds, like 'p99<50ms,errors<0.1%%'"
              + " (p50 p90 p99 p999 mean max, errors, rps).")
  String slo;

  @Option(
      names = "--report",
      arity = "2",
      paramLabel = "FORMAT FILE",
      hideParamSyntax = true,
      description =
          "Load mode: also write the results to FILE as html (a page with charts), json or csv.")
  java.util.List<String> report;

  /**
   * Why the report cannot be written, checked before the load runs rather than after it; or null.
   */
  private static String reportProblem(String format, String file) {
    if (!format.matches("html|json|csv")) {
      return "no such format (expected: html FILE, json FILE or csv FILE)";
    }
    Path path;
    try {
      path = Path.of(file).toAbsolutePath();
    } catch (InvalidPathException e) {
      return "not a file name (" + e.getReason() + ")";
    }
    if (Files.isDirectory(path)) {
      return "is a directory (expected: the file to write)";
    }
    Path parent = path.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      return "no directory " + parent + " to write it in";
    }
    if (parent != null && !Files.isWritable(parent)) {
      return "the directory " + parent + " is not writable";
    }
    if (Files.exists(path) && !Files.isWritable(path)) {
      return "the file is not writable";
    }
    return null;
  }

  /**
   * The connections to open. Each is served by one event loop thread, so one per core is what lets
   * the load generator use the whole machine; more only add context switches.
   */
  int connections() {
    return connections != null
        ? connections
        : Math.min(concurrency, Runtime.getRuntime().availableProcessors());
  }

  public boolean enabled() {
    return total != null || duration != null;
  }

  /** The sentence saying which load option is wrong, or null. */
  public String conflict() {
    if (!enabled()) {
      return rps != null || warmup != null || slo != null || report != null
          ? "--rps, --warmup, --slo and --report are load mode options: give -n N or --duration"
              + " too"
          : null;
    }
    if (total != null && total <= 0) {
      return "-n " + total + " (expected: > 0)";
    }
    if (concurrency <= 0) {
      return "-c " + concurrency + " (expected: > 0)";
    }
    if (connections != null && (connections <= 0 || connections > concurrency)) {
      return "--connections " + connections + " (expected: 1 to -c, " + concurrency + ")";
    }
    if (rps != null && rps <= 0) {
      return "--rps " + rps + " (expected: > 0)";
    }
    if (report != null) {
      String problem = reportProblem(report.get(0), report.get(1));
      if (problem != null) {
        return "--report " + report.get(0) + " " + report.get(1) + ": " + problem;
      }
    }
    if (slo != null) {
      try {
        Slo.parse(slo);
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
    }
    return null;
  }
}
