package dev.ferry.cli.importer.nginx;

import dev.ferry.cli.importer.nginx.YamlTree.Entry;
import dev.ferry.cli.importer.nginx.YamlTree.Mapping;
import dev.ferry.cli.importer.nginx.YamlTree.Sequence;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes a {@link YamlTree} in block style: a scalar's comment at the end of its line, a mapping's
 * or list's (and a list item's) on the line above it, so that every entry names its nginx origin.
 */
final class YamlWriter {
  /** Scalars that YAML reads back as the same string without quotes. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./:@+=*-]*");

  private final StringBuilder out = new StringBuilder();

  private YamlWriter() {}

  static String write(List<String> header, Mapping root) {
    YamlWriter w = new YamlWriter();
    for (String line : header) {
      w.out.append(line.isEmpty() ? "#" : "# " + line).append('\n');
    }
    w.mapping(root, 0, false);
    return w.out.toString();
  }

  private void mapping(Mapping m, int indent, boolean firstOnDashLine) {
    boolean first = firstOnDashLine;
    for (Entry e : m.entries) {
      boolean scalar = !(e.value() instanceof Mapping) && !(e.value() instanceof Sequence);
      if (!scalar && e.comment() != null && !first) {
        comment(e.comment(), indent);
      }
      if (!first) {
        out.append(" ".repeat(indent));
      }
      first = false;
      out.append(e.key()).append(':');
      value(e.value(), indent);
      if (scalar && e.comment() != null) {
        out.append("  # ").append(e.comment());
      }
      if (scalar || isEmpty(e.value())) {
        out.append('\n');
      }
    }
  }

  private void value(Object v, int indent) {
    if (v instanceof Mapping m) {
      if (m.isEmpty()) {
        out.append(" {}");
      } else {
        out.append('\n');
        mapping(m, indent + 2, false);
      }
    } else if (v instanceof Sequence s) {
      if (s.isEmpty()) {
        out.append(" []");
      } else {
        out.append('\n');
        sequence(s, indent + 2);
      }
    } else {
      out.append(' ').append(scalar(v));
    }
  }

  private void sequence(Sequence s, int indent) {
    for (Entry item : s.items) {
      if (item.comment() != null && item.value() instanceof Mapping) {
        comment(item.comment(), indent);
      }
      out.append(" ".repeat(indent)).append("- ");
      if (item.value() instanceof Mapping m && !m.isEmpty()) {
        mapping(m, indent + 2, true);
      } else {
        out.append(item.value() instanceof Mapping ? "{}" : scalar(item.value()));
        if (item.comment() != null && !(item.value() instanceof Mapping)) {
          out.append("  # ").append(item.comment());
        }
        out.append('\n');
      }
    }
  }

  private void comment(String text, int indent) {
    for (String line : text.split("\n")) {
      out.append(" ".repeat(indent)).append("# ").append(line).append('\n');
    }
  }

  private static boolean isEmpty(Object v) {
    return (v instanceof Mapping m && m.isEmpty()) || (v instanceof Sequence s && s.isEmpty());
  }

  static String scalar(Object v) {
    String s = String.valueOf(v);
    if (v instanceof Number || (PLAIN.matcher(s).matches() && !s.endsWith(":"))) {
      return s;
    }
    StringBuilder q = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\t' -> q.append("\\t");
        default -> q.append(c);
      }
    }
    return q.append('"').toString();
  }
}
