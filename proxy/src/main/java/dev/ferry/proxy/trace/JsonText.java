package dev.ferry.proxy.trace;

import dev.ferry.proxy.output.JsonStrings;
import java.util.List;
import java.util.Map;

/** Writes the few value types a {@link TraceEvent} holds as JSON, without a JSON library. */
final class JsonText {
  /** JSON that is already JSON (a decoded message), written as it is. */
  record Raw(String json) {}

  private JsonText() {}

  static void write(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Raw raw) {
      out.append(raw.json());
    } else if (value instanceof String s) {
      string(out, s);
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(out, String.valueOf(e.getKey()));
        out.append(':');
        write(out, e.getValue());
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(out, list.get(i));
      }
      out.append(']');
    } else {
      string(out, value.toString());
    }
  }

  static void string(StringBuilder out, String s) {
    JsonStrings.append(s, out);
  }
}
