package dev.ferry.proxy.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format (version 0.0.4) for tests: every line must be a
 * HELP, a TYPE or a sample, or the parse fails naming the line.
 */
public final class PrometheusText {
  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
  private static final Pattern HELP = Pattern.compile("# HELP " + NAME + " .*");
  private static final Pattern TYPE =
      Pattern.compile("# TYPE " + NAME + " (counter|gauge|histogram|summary|untyped)");
  private static final Pattern SAMPLE =
      Pattern.compile(
          "("
              + NAME
              + ")(?:\\{((?:"
              + LABEL
              + ")(?:,"
              + LABEL
              + ")*)?,?\\})? ([-+]?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|Inf|NaN))(?: -?[0-9]+)?");
  private static final Pattern ONE_LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");

  private PrometheusText() {}

  /** Samples by {@code name{label="v",...}} with labels sorted by name. */
  public static Map<String, Double> parse(String text) {
    Map<String, Double> out = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty() && i == lines.length - 1) {
        continue;
      }
      if (HELP.matcher(line).matches() || TYPE.matcher(line).matches()) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("line " + (i + 1) + " is not Prometheus text: " + line);
      }
      String key = key(m.group(1), m.group(2));
      if (out.put(key, Double.parseDouble(m.group(3).replace("Inf", "Infinity"))) != null) {
        throw new IllegalArgumentException("line " + (i + 1) + " repeats " + key);
      }
    }
    return out;
  }

  /** The key of a sample with {@code labels} as alternating names and values. */
  public static String key(String name, String... labels) {
    Map<String, String> sorted = new TreeMap<>();
    for (int i = 0; i + 1 < labels.length; i += 2) {
      sorted.put(labels[i], labels[i + 1]);
    }
    return render(name, sorted);
  }

  private static String key(String name, String labels) {
    Map<String, String> sorted = new TreeMap<>();
    if (labels != null) {
      Matcher m = ONE_LABEL.matcher(labels);
      while (m.find()) {
        sorted.put(m.group(1), m.group(2));
      }
    }
    return render(name, sorted);
  }

  private static String render(String name, Map<String, String> labels) {
    StringBuilder sb = new StringBuilder(name).append('{');
    labels.forEach((k, v) -> sb.append(k).append("=\"").append(v).append("\","));
    return sb.append('}').toString();
  }
}
