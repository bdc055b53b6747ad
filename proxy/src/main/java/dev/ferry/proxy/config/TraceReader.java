package dev.ferry.proxy.config;

import dev.ferry.proxy.config.TraceConfig.Format;
import java.util.List;
import java.util.Locale;

/** Reads a listener's {@code trace:}, such as {@code { path: trace.txt, format: text }}. */
final class TraceReader {
  private TraceReader() {}

  /** The trace, or {@code null} after reporting. */
  static TraceConfig read(YamlValue v) {
    YamlMapping m = v.mapping("path", "format");
    if (m == null) {
      return null;
    }
    YamlValue pathValue = m.require("path", "the file to write the trace to");
    String path = pathValue == null ? null : pathValue.nonEmptyString("a file path");
    if ("-".equals(path)) {
      // Standard output is the proxy's own summary and the access log's; a trace would drown them.
      pathValue.error("expected a file, got '-' (to watch a trace in a terminal, use ferry trace)");
      path = null;
    }
    Format format = Format.TEXT;
    if (m.has("format")) {
      YamlValue f = m.get("format");
      String s = f.nonEmptyString("text or json");
      format = s == null ? null : format(f, s);
    }
    return path == null || format == null ? null : new TraceConfig(path, format);
  }

  private static Format format(YamlValue v, String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "text" -> Format.TEXT;
      case "json" -> Format.JSON;
      default -> {
        v.error("unknown format '" + s + "'" + DidYouMean.hint(s, List.of("text", "json")));
        yield null;
      }
    };
  }
}
