package dev.ferry.cli.call.load;

import dev.ferry.proxy.config.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Thresholds on a load run's results that decide its exit code: {@code p99<50ms,errors<0.1%}.
 * Latencies take durations, {@code errors} a percentage, {@code rps} calls per second.
 */
record Slo(String metric, String operator, double limit, String text) {
  private static final Pattern CHECK =
      Pattern.compile("(p50|p90|p99|p999|mean|max|min|errors|rps)\\s*(<=|>=|<|>)\\s*(\\S+)");

  static List<Slo> parse(String checks) {
    List<Slo> slos = new ArrayList<>();
    for (String check : checks.split(",")) {
      Matcher m = CHECK.matcher(check.trim().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "--slo '" + check.trim() + "' (expected: like p99<50ms, errors<0.1%, rps>=1000)");
      }
      slos.add(new Slo(m.group(1), m.group(2), limit(m.group(1), m.group(3), check), check.trim()));
    }
    return slos;
  }

  private static double limit(String metric, String value, String check) {
    try {
      return switch (metric) {
        case "errors" -> {
          if (!value.endsWith("%")) {
            throw new IllegalArgumentException(
                "--slo '" + check.trim() + "': errors take a percentage, like errors<0.1%");
          }
          yield Double.parseDouble(value.substring(0, value.length() - 1));
        }
        case "rps" -> Double.parseDouble(value);
        default -> Durations.parse(value).toNanos() / 1e3;
      };
    } catch (IllegalArgumentException e) { // a bad number (NumberFormatException) or duration
      throw new IllegalArgumentException("--slo '" + check.trim() + "': " + e.getMessage());
    }
  }

  /** The measured value this check looks at, in its unit (microseconds, percent, calls/s). */
  double measured(LoadStats stats) {
    return switch (metric) {
      case "p50" -> stats.percentileMicros(50);
      case "p90" -> stats.percentileMicros(90);
      case "p99" -> stats.percentileMicros(99);
      case "p999" -> stats.percentileMicros(99.9);
      case "mean" -> stats.meanMicros();
      case "max" -> stats.maxMicros();
      case "min" -> stats.minMicros();
      case "errors" -> stats.calls() == 0 ? 0 : 100.0 * stats.failed() / stats.calls();
      default -> stats.callsPerSecond();
    };
  }

  boolean holds(LoadStats stats) {
    double v = measured(stats);
    return switch (operator) {
      case "<" -> v < limit;
      case "<=" -> v <= limit;
      case ">" -> v > limit;
      default -> v >= limit;
    };
  }

  /** The measured value as a person reads it. */
  String describeMeasured(LoadStats stats) {
    double v = measured(stats);
    return switch (metric) {
      case "errors" -> String.format(Locale.ROOT, "%.3f%%", v);
      case "rps" -> String.format(Locale.ROOT, "%.1f calls/s", v);
      default -> LoadSummary.micros(v);
    };
  }
}
