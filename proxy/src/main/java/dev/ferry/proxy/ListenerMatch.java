package dev.ferry.proxy;

import dev.ferry.proxy.config.ListenerConfig;
import java.util.List;

/**
 * Which running listener each listener of a new configuration is: the same address, host and port
 * or socket file (the first not taken, for several on port 0). A listener without a match is
 * opened; a running one without a match is closed.
 */
final class ListenerMatch {
  private ListenerMatch() {}

  /** For each of {@code next}, the index of its listener in {@code old}, or -1 for a new one. */
  static int[] of(List<ListenerConfig> old, List<ListenerConfig> next) {
    boolean[] taken = new boolean[old.size()];
    int[] match = new int[next.size()];
    for (int i = 0; i < next.size(); i++) {
      match[i] = -1;
      ListenerConfig n = next.get(i);
      for (int j = 0; j < old.size() && match[i] < 0; j++) {
        ListenerConfig o = old.get(j);
        if (!taken[j] && o.address().equals(n.address())) {
          taken[j] = true;
          match[i] = j;
        }
      }
    }
    return match;
  }

  /** The indices of {@code old} no listener of {@code match} kept. */
  static List<Integer> dropped(int oldCount, int[] match) {
    boolean[] kept = new boolean[oldCount];
    for (int j : match) {
      if (j >= 0) {
        kept[j] = true;
      }
    }
    return java.util.stream.IntStream.range(0, oldCount).filter(j -> !kept[j]).boxed().toList();
  }
}
