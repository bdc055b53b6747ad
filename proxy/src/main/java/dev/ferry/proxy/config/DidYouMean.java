package dev.ferry.proxy.config;

import java.util.Collection;
import java.util.Optional;

/** Finds the known name closest to a misspelt one, by edit distance, for "did you mean" hints. */
final class DidYouMean {
  private DidYouMean() {}

  /** The candidate nearest to {@code typed}, if it is near enough to be a likely typo. */
  static Optional<String> closest(String typed, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(typed.toLowerCase(), candidate.toLowerCase());
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    // A short name tolerates one slip, a long one up to three: beyond that a hint misleads.
    int tolerated = typed.length() <= 3 ? 1 : typed.length() <= 6 ? 2 : 3;
    return best != null && bestDistance <= tolerated ? Optional.of(best) : Optional.empty();
  }

  /**
   * The hint to append to a message: {@code " (did you mean 'x'?)"} or {@code " (expected one of:
   * a, b)"}.
   */
  static String hint(String typed, Collection<String> candidates) {
    Optional<String> near = closest(typed, candidates);
    if (near.isPresent()) {
      return " (did you mean '" + near.get() + "'?)";
    }
    return candidates.isEmpty() ? "" : " (expected one of: " + String.join(", ", candidates) + ")";
  }

  /** Damerau-Levenshtein (optimal string alignment): a swapped pair of letters costs one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
