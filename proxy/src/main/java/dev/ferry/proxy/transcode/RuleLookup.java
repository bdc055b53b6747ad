package dev.ferry.proxy.transcode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Finds the binding a request fits among the rule tables of a listener's clusters, in route order
 * (the first cluster with a fitting binding wins). A table never learned is asked for first; a
 * request that fits none asks the tables again where their budget allows, and then decides.
 */
final class RuleLookup {
  /** The answer of {@link #find} when the tables are being asked: the callback will tell. */
  static final RuleMatch ASKING = new RuleMatch(null, null);

  private RuleLookup() {}

  /**
   * The binding that fits, null for none, or {@link #ASKING}: then {@code later} gets the answer
   * (null for none) once the tables answered, on the same event loop.
   */
  static RuleMatch find(
      List<ClusterRules> tables, String verb, String path, Consumer<RuleMatch> later) {
    List<ClusterRules> ask = new ArrayList<>();
    for (ClusterRules t : tables) {
      if (t.unknown()) {
        ask.add(t);
      }
    }
    if (ask.isEmpty()) {
      RuleMatch m = match(tables, verb, path);
      if (m != null) {
        return m;
      }
      for (ClusterRules t : tables) {
        if (t.mayAskAgain()) {
          ask.add(t);
        }
      }
      if (ask.isEmpty()) {
        return null;
      }
    }
    int[] pending = {ask.size()};
    for (ClusterRules t : ask) {
      t.ask(
          () -> {
            if (--pending[0] == 0) {
              later.accept(match(tables, verb, path));
            }
          });
    }
    return ASKING;
  }

  private static RuleMatch match(List<ClusterRules> tables, String verb, String path) {
    for (ClusterRules t : tables) {
      RuleMatch m = t.table().match(verb, path);
      if (m != null) {
        return m;
      }
    }
    return null;
  }
}
