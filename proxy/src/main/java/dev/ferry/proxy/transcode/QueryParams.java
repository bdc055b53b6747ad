package dev.ferry.proxy.transcode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request's query as the transcoder reads it: {@code application/x-www-form-urlencoded} pairs
 * ({@code +} is a space, then percent-decoding as UTF-8), a name given several times keeping all
 * its values in order (for a repeated field), a name without {@code =} having the empty value.
 */
final class QueryParams {
  private QueryParams() {}

  /** The parameters of {@code query} (without the {@code ?}), by name in first-seen order. */
  static Map<String, List<String>> parse(String query) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return out;
  }

  private static String decode(String s) {
    return PathTemplate.decode(s.replace('+', ' '), false);
  }
}
