package dev.ferry.cli.call.load;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * A load run's results as a file ({@code --report html|json|csv FILE}): for other tools the rate,
 * the latency percentiles in milliseconds and the count of each status; for people, {@link
 * LoadHtmlReport}'s page.
 */
final class LoadReport {
  static final double[] PERCENTILES = {50, 75, 90, 95, 99, 99.9};

  private LoadReport() {}

  static void write(String format, Path file, LoadStats stats, LoadOptions options, String title)
      throws IOException {
    String text =
        switch (format) {
          case "csv" -> csv(stats);
          case "html" -> LoadHtmlReport.page(title, stats, options);
          default -> json(stats, options);
        };
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static String json(LoadStats stats, LoadOptions options) {
    JsonObject root = new JsonObject();
    root.addProperty("calls", stats.calls());
    root.addProperty("failed", stats.failed());
    root.addProperty("seconds", stats.seconds());
    root.addProperty("calls_per_second", stats.callsPerSecond());
    root.addProperty("concurrency", options.concurrency);
    root.addProperty("connections", options.connections());
    JsonObject latency = new JsonObject();
    latency.addProperty("min_ms", stats.minMicros() / 1e3);
    latency.addProperty("mean_ms", stats.meanMicros() / 1e3);
    for (double p : PERCENTILES) {
      latency.addProperty(name(p) + "_ms", stats.percentileMicros(p) / 1e3);
    }
    latency.addProperty("max_ms", stats.maxMicros() / 1e3);
    root.add("latency", latency);
    JsonArray statuses = new JsonArray();
    for (Map.Entry<Status.Code, Long> e : stats.counts().entrySet()) {
      JsonObject s = new JsonObject();
      s.addProperty("code", e.getKey().name());
      s.addProperty("count", e.getValue());
      if (stats.firstMessage(e.getKey()) != null) {
        s.addProperty("first_message", stats.firstMessage(e.getKey()));
      }
      statuses.add(s);
    }
    root.add("statuses", statuses);
    return new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n";
  }

  /** One row per measure: easy to plot or to append runs to. */
  private static String csv(LoadStats stats) {
    StringBuilder out = new StringBuilder("measure,value\n");
    row(out, "calls", stats.calls());
    row(out, "failed", stats.failed());
    row(out, "seconds", stats.seconds());
    row(out, "calls_per_second", stats.callsPerSecond());
    row(out, "min_ms", stats.minMicros() / 1e3);
    row(out, "mean_ms", stats.meanMicros() / 1e3);
    for (double p : PERCENTILES) {
      row(out, name(p) + "_ms", stats.percentileMicros(p) / 1e3);
    }
    row(out, "max_ms", stats.maxMicros() / 1e3);
    for (Map.Entry<Status.Code, Long> e : stats.counts().entrySet()) {
      row(out, "status_" + e.getKey().name(), e.getValue());
    }
    return out.toString();
  }

  private static void row(StringBuilder out, String measure, double value) {
    out.append(measure)
        .append(',')
        .append(
            value == Math.rint(value)
                ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.3f", value))
        .append('\n');
  }

  static String name(double percentile) {
    return "p" + (percentile == Math.rint(percentile) ? String.valueOf((int) percentile) : "999");
  }
}
