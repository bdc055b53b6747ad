package dev.ferry.proxy.transcode;

import dev.ferry.proxy.schema.MethodSchema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP bindings of a set of methods (one cluster's), and which one a request fits. When several
 * fit, the one with more literal segments wins ({@code /v1/things:count} before {@code
 * /v1/things/{id}}); among equals, the first by method name, so the choice never depends on the
 * order reflection answered in.
 */
final class HttpRuleTable {
  private static final Logger log = LoggerFactory.getLogger(HttpRuleTable.class);
  static final HttpRuleTable EMPTY = new HttpRuleTable(List.of());

  private final List<HttpBinding> bindings;

  private HttpRuleTable(List<HttpBinding> bindings) {
    this.bindings = bindings;
  }

  /**
   * The bindings of {@code methods}; a method whose rule is malformed is left out, with a warning
   * that names it and why (its siblings still serve).
   */
  static HttpRuleTable of(List<MethodSchema> methods, String source) {
    List<MethodSchema> sorted = new ArrayList<>(methods);
    sorted.sort(Comparator.comparing(MethodSchema::name));
    List<HttpBinding> out = new ArrayList<>();
    for (MethodSchema m : sorted) {
      try {
        out.addAll(HttpBinding.of(m));
      } catch (IllegalArgumentException e) {
        log.warn("{}: {}: google.api.http is not usable: {}", source, m.name(), e.getMessage());
      }
    }
    out.sort(Comparator.comparingInt((HttpBinding b) -> -b.template().literals()));
    return new HttpRuleTable(List.copyOf(out));
  }

  boolean isEmpty() {
    return bindings.isEmpty();
  }

  /** The binding {@code verb} and {@code path} (without its query) fit best, or null. */
  RuleMatch match(String verb, String path) {
    for (HttpBinding b : bindings) {
      var captured = b.match(verb, path);
      if (captured != null) {
        return new RuleMatch(b, captured);
      }
    }
    return null;
  }
}
