package dev.ferry.testservers;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The votes one daininki instance has counted, per candidate, since it started. */
final class VoteBox {
  /** One candidate's count, as the ranking sees it. */
  record Standing(String candidate, long votes) {}

  private static final Comparator<Standing> MOST_VOTES_FIRST =
      Comparator.comparingLong(Standing::votes).reversed().thenComparing(Standing::candidate);

  private final ConcurrentHashMap<String, Long> votes = new ConcurrentHashMap<>();

  /** Adds {@code n} votes and returns the candidate's count so far. */
  long add(String candidate, long n) {
    return votes.merge(candidate, n, Long::sum);
  }

  void addAll(Map<String, Long> tally) {
    tally.forEach(this::add);
  }

  /** Every candidate, most votes first, ties by name. */
  List<Standing> ranking() {
    return votes.entrySet().stream()
        .map(e -> new Standing(e.getKey(), e.getValue()))
        .sorted(MOST_VOTES_FIRST)
        .toList();
  }
}
