package dev.ferry.proxy.admin;

import dev.ferry.proxy.config.Durations;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The effective configuration as JSON, written from the config records themselves so that a key
 * added to a record shows up in {@code /config} without anyone remembering to add it here. Keys are
 * the records' component names in snake case; durations read as in the YAML ({@code 5s}).
 */
final class ConfigJson {
  private ConfigJson() {}

  /** The config's keys, and last {@code source}: where it came from and each resource's version. */
  static String write(Object config, Object source) {
    StringBuilder sb = new StringBuilder(1024);
    value(config, sb, "");
    // The config object's closing brace gives way to one more key.
    sb.setLength(sb.length() - 2);
    sb.append(",\n  ");
    Json.string("source", sb);
    sb.append(": ");
    value(source, sb, "  ");
    return sb.append("\n}\n").toString();
  }

  private static void value(Object v, StringBuilder sb, String indent) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Boolean || v instanceof Number) {
      sb.append(v);
    } else if (v instanceof Duration d) {
      Json.string(Durations.format(d), sb);
    } else if (v instanceof Enum<?> e) {
      Json.string(e.name().toLowerCase(Locale.ROOT), sb);
    } else if (v instanceof Pattern p) {
      Json.string(p.pattern(), sb);
    } else if (v instanceof Map<?, ?> m) {
      object(m, sb, indent);
    } else if (v instanceof Collection<?> c) {
      array(c, sb, indent);
    } else if (v.getClass().isRecord()) {
      record(v, sb, indent);
    } else {
      Json.string(v.toString(), sb);
    }
  }

  private static void record(Object r, StringBuilder sb, String indent) {
    RecordComponent[] components = r.getClass().getRecordComponents();
    String inner = indent + "  ";
    sb.append('{');
    boolean first = true;
    for (RecordComponent c : components) {
      Object v;
      try {
        v = c.getAccessor().invoke(r);
      } catch (IllegalAccessException | InvocationTargetException e) {
        v = "?";
      }
      sb.append(first ? "\n" : ",\n").append(inner);
      first = false;
      Json.string(snake(c.getName()), sb);
      sb.append(": ");
      value(v, sb, inner);
    }
    sb.append(first ? "}" : "\n" + indent + "}");
  }

  private static void object(Map<?, ?> m, StringBuilder sb, String indent) {
    String inner = indent + "  ";
    sb.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      sb.append(first ? "\n" : ",\n").append(inner);
      first = false;
      Json.string(String.valueOf(e.getKey()), sb);
      sb.append(": ");
      value(e.getValue(), sb, inner);
    }
    sb.append(first ? "}" : "\n" + indent + "}");
  }

  private static void array(Collection<?> c, StringBuilder sb, String indent) {
    String inner = indent + "  ";
    sb.append('[');
    boolean first = true;
    for (Object v : c) {
      sb.append(first ? "\n" : ",\n").append(inner);
      first = false;
      value(v, sb, inner);
    }
    sb.append(first ? "]" : "\n" + indent + "]");
  }

  static String snake(String camel) {
    StringBuilder sb = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        sb.append('_').append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
