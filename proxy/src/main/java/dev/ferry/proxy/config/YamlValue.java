package dev.ferry.proxy.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One node of the YAML document together with its path ({@code listeners[0].routes[1].cluster}) and
 * its position, so that whatever reads it can report an error that says where.
 *
 * <p>A value found under a key is located at its key: that is the line a person looks for. The
 * typed getters report a wrong type or a bad value themselves and return {@code null}, so a reader
 * carries on and finds the next error too.
 */
final class YamlValue {
  private final Node node;
  private final String path;
  private final Optional<Mark> where;
  private final ConfigErrors errors;

  YamlValue(Node node, String path, Optional<Mark> where, ConfigErrors errors) {
    this.node = node;
    this.path = path;
    this.where = where;
    this.errors = errors;
  }

  static YamlValue root(Node node, ConfigErrors errors) {
    return new YamlValue(node, "", node.getStartMark(), errors);
  }

  String path() {
    return path;
  }

  Optional<Mark> where() {
    return where;
  }

  ConfigErrors errors() {
    return errors;
  }

  /** The path of a key below this value. */
  String childPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  void error(String message) {
    errors.add(where, path, message);
  }

  /** A warning at this value, when the reader was asked for warnings. */
  void warning(String message) {
    errors.warn(where, path, message);
  }

  boolean isNull() {
    return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
  }

  boolean isScalar() {
    return node instanceof ScalarNode && !isNull();
  }

  boolean isMapping() {
    return node instanceof MappingNode;
  }

  /**
   * This value as a mapping whose keys must be among {@code known}; reports unknown and duplicate
   * keys. Returns {@code null} (after reporting) when it is not a mapping.
   */
  YamlMapping mapping(String... known) {
    Map<String, YamlValue> entries = entries(what(known));
    if (entries == null) {
      return null;
    }
    List<String> knownKeys = List.of(known);
    Set<String> misspelt = new HashSet<>();
    for (var e : entries.entrySet()) {
      if (!knownKeys.contains(e.getKey())) {
        e.getValue().error("unknown key" + DidYouMean.hint(e.getKey(), knownKeys));
        DidYouMean.closest(e.getKey(), knownKeys).ifPresent(misspelt::add);
      }
    }
    return new YamlMapping(this, entries, misspelt);
  }

  private static String what(String... known) {
    return "keys: " + String.join(", ", known);
  }

  /**
   * This value as a mapping with keys of the user's choosing (cluster names), in file order;
   * reports duplicate keys. Returns {@code null} (after reporting) when it is not a mapping.
   */
  Map<String, YamlValue> entries(String expected) {
    if (!(node instanceof MappingNode mapping)) {
      expected("a mapping (" + expected + ")");
      return null;
    }
    Map<String, YamlValue> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node key = tuple.getKeyNode();
      if (!(key instanceof ScalarNode scalar) || key.getTag().equals(Tag.NULL)) {
        errors.add(key.getStartMark(), path, "a key must be a plain name");
        continue;
      }
      String name = scalar.getValue();
      YamlValue value =
          new YamlValue(tuple.getValueNode(), childPath(name), key.getStartMark(), errors);
      YamlValue first = entries.putIfAbsent(name, value);
      if (first != null) {
        value.error(
            "duplicate key"
                + first.where.map(m -> " (first at line " + (m.getLine() + 1) + ")").orElse(""));
      }
    }
    return entries;
  }

  /**
   * This value as a list; a single item stands for a list of one. Returns {@code null} (after
   * reporting) when it is a mapping or nothing.
   */
  List<YamlValue> list(String expectedItem) {
    if (node instanceof SequenceNode seq) {
      List<YamlValue> items = new ArrayList<>();
      List<Node> nodes = seq.getValue();
      for (int i = 0; i < nodes.size(); i++) {
        Node item = nodes.get(i);
        items.add(new YamlValue(item, path + "[" + i + "]", item.getStartMark(), errors));
      }
      return items;
    }
    expected("a list of " + expectedItem);
    return null;
  }

  /** This value as text; reports and returns {@code null} when it is a mapping, list or nothing. */
  String string(String expected) {
    if (isScalar()) {
      return ((ScalarNode) node).getValue();
    }
    expected(expected);
    return null;
  }

  /** A text value that must not be empty or blank. */
  String nonEmptyString(String expected) {
    String s = string(expected);
    if (s != null && s.isBlank()) {
      error("expected " + expected + ", got an empty string");
      return null;
    }
    return s;
  }

  /** A whole number between {@code min} and {@code max}; reports and returns {@code null}. */
  Integer integer(int min, int max) {
    String s = string("a whole number");
    if (s == null) {
      return null;
    }
    int n;
    try {
      n = Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      error("expected a whole number, got '" + s + "'");
      return null;
    }
    if (n < min || n > max) {
      error(outOfRange(n, min, max));
      return null;
    }
    return n;
  }

  private static String outOfRange(int n, int min, int max) {
    if (max == Integer.MAX_VALUE) {
      return "expected a whole number of at least " + min + ", got " + n;
    }
    return "expected a whole number from " + min + " to " + max + ", got " + n;
  }

  /** A duration such as {@code 5s}; zero allowed only when {@code allowZero}. */
  Duration duration(boolean allowZero) {
    Duration d = parsed(Durations.EXPECTED, Durations::parse);
    if (d != null && d.isZero() && !allowZero) {
      error("expected a duration greater than zero, got '" + string("") + "'");
      return null;
    }
    return d;
  }

  /**
   * This value's text turned into something by {@code parser}, whose IllegalArgumentException
   * message becomes the error.
   */
  <T> T parsed(String expected, Function<String, T> parser) {
    String s = string(expected);
    if (s == null) {
      return null;
    }
    try {
      return parser.apply(s);
    } catch (IllegalArgumentException e) {
      error(e.getMessage());
      return null;
    }
  }

  private void expected(String expected) {
    error("expected " + expected + ", got " + describe());
  }

  /** What this node is, for error messages: "a mapping", "a list", "nothing", "'x'". */
  String describe() {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (isNull()) {
      return "nothing";
    }
    return "'" + ((ScalarNode) node).getValue() + "'";
  }
}
