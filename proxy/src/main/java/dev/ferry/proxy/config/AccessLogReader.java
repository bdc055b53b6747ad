package dev.ferry.proxy.config;

import dev.ferry.proxy.config.AccessLogConfig.Format;
import java.util.List;
import java.util.Locale;

/** Reads {@code access_log:}; where it is left out, the access log is off. */
final class AccessLogReader {
  private AccessLogReader() {}

  /** The access log, or {@code null} after reporting. */
  static AccessLogConfig read(YamlValue v) {
    YamlMapping m = v.mapping("path", "format");
    if (m == null) {
      return null;
    }
    String path =
        m.has("path") ? m.get("path").nonEmptyString("a file path, or - for standard output") : "-";
    Format format = Format.TEXT;
    if (m.has("format")) {
      YamlValue f = m.get("format");
      String s = f.nonEmptyString("text or json");
      format = s == null ? null : format(f, s);
    }
    return path == null || format == null ? null : new AccessLogConfig(path, format);
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
