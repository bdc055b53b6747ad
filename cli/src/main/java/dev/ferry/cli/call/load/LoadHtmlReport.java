package dev.ferry.cli.call.load;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.ferry.cli.option.DurationOption;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code --report html FILE}: one page that needs nothing but a browser, like ghz's report. The
 * page (load-report.html beside this class) carries its style and script; the run's figures go in
 * as a JSON block that the script draws from with textContent only. Gson escapes {@code <} and
 * {@code >} in strings, so no text of the run (a status message, say) can close the block.
 */
final class LoadHtmlReport {
  private static final String DATA = "/*LOAD-DATA*/";
  private static final int HISTOGRAM_BUCKETS = 20;

  private LoadHtmlReport() {}

  static String page(String title, LoadStats stats, LoadOptions options) {
    String template = template();
    int at = template.indexOf(DATA);
    return template.substring(0, at)
        + new Gson().toJson(data(title, stats, options))
        + template.substring(at + DATA.length());
  }

  private static String template() {
    try (InputStream in = LoadHtmlReport.class.getResourceAsStream("load-report.html")) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks load-report.html beside LoadHtmlReport");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonObject data(String title, LoadStats stats, LoadOptions options) {
    JsonObject root = new JsonObject();
    root.addProperty("title", title);
    root.addProperty("written", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    JsonObject opts = new JsonObject();
    opts.addProperty("total", options.total);
    opts.addProperty(
        "duration", options.duration == null ? null : DurationOption.format(options.duration));
    opts.addProperty(
        "warmup", options.warmup == null ? null : DurationOption.format(options.warmup));
    opts.addProperty("concurrency", options.concurrency);
    opts.addProperty("connections", options.connections());
    opts.addProperty("rps", options.rps);
    root.add("options", opts);
    JsonObject summary = new JsonObject();
    summary.addProperty("calls", stats.calls());
    summary.addProperty("failed", stats.failed());
    summary.addProperty("seconds", stats.seconds());
    summary.addProperty("calls_per_second", stats.callsPerSecond());
    summary.addProperty("min_ms", stats.minMicros() / 1e3);
    summary.addProperty("mean_ms", stats.meanMicros() / 1e3);
    summary.addProperty("max_ms", stats.maxMicros() / 1e3);
    root.add("summary", summary);
    JsonArray percentiles = new JsonArray();
    for (double p : LoadReport.PERCENTILES) {
      JsonObject o = new JsonObject();
      o.addProperty("name", LoadReport.name(p).replace("p999", "p99.9"));
      o.addProperty("ms", stats.percentileMicros(p) / 1e3);
      percentiles.add(o);
    }
    root.add("percentiles", percentiles);
    root.add("histogram", histogram(stats));
    JsonArray seconds = new JsonArray();
    List<long[]> perSecond = stats.perSecond();
    for (int i = 0; i < perSecond.size(); i++) {
      long[] s = perSecond.get(i);
      JsonObject o = new JsonObject();
      o.addProperty("second", i);
      o.addProperty("calls", s[0]);
      o.addProperty("errors", s[1]);
      o.addProperty("mean_ms", s[2] / 1e3);
      o.addProperty("max_ms", s[3] / 1e3);
      seconds.add(o);
    }
    root.add("seconds", seconds);
    JsonArray statuses = new JsonArray();
    for (Map.Entry<Status.Code, Long> e : stats.counts().entrySet()) {
      JsonObject o = new JsonObject();
      o.addProperty("code", e.getKey().name());
      o.addProperty("count", e.getValue());
      o.addProperty("first_message", stats.firstMessage(e.getKey()));
      statuses.add(o);
    }
    root.add("statuses", statuses);
    return root;
  }

  /** Equal-width buckets from the fastest call to the slowest, as ghz draws them. */
  private static JsonArray histogram(LoadStats stats) {
    JsonArray out = new JsonArray();
    Histogram h = stats.histogram();
    if (h.getTotalCount() == 0) {
      return out;
    }
    long min = h.getMinValue();
    long max = h.getMaxValue();
    long width = Math.max(1, (max - min + HISTOGRAM_BUCKETS) / HISTOGRAM_BUCKETS);
    for (int i = 0; i < HISTOGRAM_BUCKETS; i++) {
      long lo = min + i * width;
      JsonObject o = new JsonObject();
      o.addProperty("upper_ms", (lo + width - 1) / 1e3);
      o.addProperty("count", h.getCountBetweenValues(lo, lo + width - 1));
      out.add(o);
    }
    return out;
  }
}
