package dev.ferry.cli.importer.nginx;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The blocks a directive is looked up in, innermost first (location, enclosing locations, server,
 * http), with nginx's inheritance: a level that sets a directive replaces everything set above it.
 */
record Scope(List<Directive> blocks) {
  static Scope of(Directive block) {
    return new Scope(List.of(block));
  }

  /** This scope with {@code inner} (a nested block) inside it. */
  Scope inside(Directive inner) {
    List<Directive> b = new ArrayList<>();
    b.add(inner);
    b.addAll(blocks);
    return new Scope(List.copyOf(b));
  }

  Directive innermost() {
    return blocks.get(0);
  }

  /**
   * The directives named one of {@code names} at the innermost level that has any, in file order:
   * {@code allow} and {@code deny} together, as nginx inherits them together.
   */
  List<Directive> effective(String... names) {
    Set<String> wanted = Set.of(names);
    for (Directive block : blocks) {
      List<Directive> found =
          block.block().stream().filter(d -> wanted.contains(d.name())).toList();
      if (!found.isEmpty()) {
        return found;
      }
    }
    return List.of();
  }

  /** The one value in effect (the last written, as nginx keeps for a repeated setting), or null. */
  Directive last(String name) {
    List<Directive> found = effective(name);
    return found.isEmpty() ? null : found.get(found.size() - 1);
  }
}
