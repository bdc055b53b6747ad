package dev.ferry.proxy.balance;

import java.util.List;

/**
 * Smooth weighted round robin (nginx's): each endpoint gets its weight's share, spread evenly
 * instead of in bursts.
 */
final class WeightedRoundRobinBalancer implements Balancer {
  private List<?> forTargets;
  private int[] current;

  @Override
  public <T extends Target> T pick(List<T> targets, CharSequence hashKey) {
    int n = targets.size();
    if (forTargets != targets || current.length != n) {
      forTargets = targets;
      current = new int[n];
    }
    int total = 0;
    int best = 0;
    for (int i = 0; i < n; i++) {
      int w = Math.max(1, targets.get(i).weight());
      current[i] += w;
      total += w;
      if (current[i] > current[best]) {
        best = i;
      }
    }
    current[best] -= total;
    return targets.get(best);
  }

  @Override
  public <T extends Target> T peek(List<T> targets, CharSequence hashKey) {
    int n = targets.size();
    boolean fresh = forTargets != targets || current.length != n;
    int best = 0;
    long bestValue = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      long value = (fresh ? 0 : current[i]) + Math.max(1, targets.get(i).weight());
      if (value > bestValue) {
        best = i;
        bestValue = value;
      }
    }
    return targets.get(best);
  }
}
