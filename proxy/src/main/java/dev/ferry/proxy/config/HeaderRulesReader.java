package dev.ferry.proxy.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code request_headers:} and {@code response_headers:}: set, add and remove. */
final class HeaderRulesReader {
  private HeaderRulesReader() {}

  /** The rules, or {@code null} after reporting. */
  static HeaderRules read(YamlValue v) {
    YamlMapping m = v.mapping("set", "add", "remove");
    if (m == null) {
      return null;
    }
    Map<String, String> set = m.has("set") ? headerValues(m.get("set")) : Map.of();
    Map<String, String> add = m.has("add") ? headerValues(m.get("add")) : Map.of();
    List<String> remove = m.has("remove") ? names(m.get("remove")) : List.of();
    if (set == null || add == null || remove == null) {
      return null;
    }
    return new HeaderRules(set, add, remove);
  }

  private static Map<String, String> headerValues(YamlValue v) {
    Map<String, YamlValue> entries =
        v.entries("header names and values, such as { x-env: canary }");
    if (entries == null) {
      return null;
    }
    Map<String, String> values = new LinkedHashMap<>();
    boolean ok = true;
    for (var e : entries.entrySet()) {
      String problem = HeaderNames.problem(e.getKey(), true);
      if (problem != null) {
        e.getValue().error(problem);
        ok = false;
        continue;
      }
      String value = e.getValue().string("a header value");
      if (value == null) {
        ok = false;
      } else {
        values.put(e.getKey().toLowerCase(java.util.Locale.ROOT), value);
      }
    }
    return ok ? Map.copyOf(values) : null;
  }

  private static List<String> names(YamlValue v) {
    List<YamlValue> items = v.list("header names");
    if (items == null) {
      return null;
    }
    List<String> names = new ArrayList<>();
    boolean ok = true;
    for (YamlValue item : items) {
      String name = HeaderNames.read(item, true);
      ok &= name != null;
      if (name != null) {
        names.add(name);
      }
    }
    return ok ? List.copyOf(names) : null;
  }
}
