package dev.ferry.cli.call.schema;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Picks the known name a mistyped one most likely meant, for "did you mean" hints. */
public final class ClosestName {
  private ClosestName() {}

  /**
   * The name in {@code known} fewest edits away from {@code typed}, ignoring case, if it is close
   * enough to be a typo: at most a third of the typed name's length, and at least two edits.
   */
  public static Optional<String> in(Collection<String> known, String typed) {
    int allowed = Math.max(2, typed.length() / 3);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String name : known) {
      int distance = distance(name.toLowerCase(Locale.ROOT), typed.toLowerCase(Locale.ROOT));
      if (distance <= allowed && distance < bestDistance) {
        best = name;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Levenshtein distance: insertions, deletions and substitutions, one row at a time. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
