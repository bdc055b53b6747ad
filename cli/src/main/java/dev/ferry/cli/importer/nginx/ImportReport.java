package dev.ferry.cli.importer.nginx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the conversion could not carry over (which makes it partial), what it carried over with a
 * difference worth knowing, and what it left out because ferry needs no such setting.
 */
public final class ImportReport {
  /** How a directive fared. */
  public enum Kind {
    NOT_CONVERTED("not converted"),
    NOTE("note"),
    IGNORED("ignored");

    private final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** One line of the report. */
  public record Entry(Kind kind, Directive directive, String why) {
    @Override
    public String toString() {
      return directive.where() + ": " + kind.label + ": " + shorten(directive.text()) + ": " + why;
    }
  }

  private final List<Entry> entries = new ArrayList<>();

  /** Directives dealt with, in the report or in the YAML: the rest are reported at the end. */
  private final Map<Directive, Boolean> seen = new IdentityHashMap<>();

  void notConverted(Directive d, String why) {
    add(Kind.NOT_CONVERTED, d, why);
  }

  void note(Directive d, String why) {
    add(Kind.NOTE, d, why);
  }

  void ignored(Directive d, String why) {
    add(Kind.IGNORED, d, why);
  }

  private void add(Kind kind, Directive d, String why) {
    seen.put(d, Boolean.TRUE);
    for (Entry e : entries) {
      if (e.directive == d && e.why.equals(why)) {
        return;
      }
    }
    entries.add(new Entry(kind, d, why));
  }

  /** Marks {@code d} as carried over into the YAML. */
  void converted(Directive d) {
    seen.put(d, Boolean.TRUE);
  }

  /** Marks what is inside {@code d} as dealt with: the report's line about {@code d} covers it. */
  void coveredBy(Directive d) {
    if (d.isBlock()) {
      for (Directive inner : d.block()) {
        seen.put(inner, Boolean.TRUE);
        coveredBy(inner);
      }
    }
  }

  boolean isSeen(Directive d) {
    return seen.containsKey(d);
  }

  /** Every entry, in file and line order. */
  public List<Entry> entries() {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(
        Comparator.comparing((Entry e) -> e.directive.file())
            .thenComparingInt(e -> e.directive.line()));
    return sorted;
  }

  /** Whether everything that matters came over: no entry is {@link Kind#NOT_CONVERTED}. */
  public boolean complete() {
    return entries.stream().noneMatch(e -> e.kind == Kind.NOT_CONVERTED);
  }

  public long count(Kind kind) {
    return entries.stream().filter(e -> e.kind == kind).count();
  }

  /** A directive with a long argument (a log_format) cut to one readable line. */
  private static String shorten(String text) {
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
  }
}
