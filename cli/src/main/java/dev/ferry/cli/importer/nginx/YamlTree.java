package dev.ferry.cli.importer.nginx;

import java.util.ArrayList;
import java.util.List;

/**
 * The YAML to write, as ordered mappings and lists whose entries carry a comment (the nginx
 * file:line they came from), since a YAML library's dump would lose both order and comments.
 */
final class YamlTree {
  private YamlTree() {}

  /** A mapping whose keys keep the order they were put in. */
  static final class Mapping {
    final List<Entry> entries = new ArrayList<>();

    /**
     * Puts {@code key}; {@code value} is a String, a Number, a {@link Mapping} or a {@link
     * Sequence}.
     */
    Mapping put(String key, Object value, String comment) {
      entries.removeIf(e -> e.key.equals(key));
      entries.add(new Entry(key, value, comment));
      return this;
    }

    Mapping put(String key, Object value) {
      return put(key, value, null);
    }

    /** The mapping under {@code key}, made empty first if there is none. */
    Mapping mapping(String key) {
      for (Entry e : entries) {
        if (e.key.equals(key) && e.value instanceof Mapping m) {
          return m;
        }
      }
      Mapping m = new Mapping();
      put(key, m);
      return m;
    }

    /** The list under {@code key}, made empty first if there is none. */
    Sequence sequence(String key) {
      for (Entry e : entries) {
        if (e.key.equals(key) && e.value instanceof Sequence s) {
          return s;
        }
      }
      Sequence s = new Sequence();
      put(key, s);
      return s;
    }

    boolean has(String key) {
      return entries.stream().anyMatch(e -> e.key.equals(key));
    }

    boolean isEmpty() {
      return entries.isEmpty();
    }

    /** The content, so that two mappings that say the same compare equal as text. */
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("{");
      for (Entry e : entries) {
        sb.append(sb.length() > 1 ? ", " : "").append(e.key()).append(": ").append(e.value());
      }
      return sb.append('}').toString();
    }
  }

  /** A list of scalars or mappings. */
  static final class Sequence {
    final List<Entry> items = new ArrayList<>();

    Sequence add(Object value, String comment) {
      items.add(new Entry(null, value, comment));
      return this;
    }

    Sequence add(Object value) {
      return add(value, null);
    }

    boolean isEmpty() {
      return items.isEmpty();
    }
  }

  /** A key (null in a list) with its value and comment. */
  record Entry(String key, Object value, String comment) {}
}
