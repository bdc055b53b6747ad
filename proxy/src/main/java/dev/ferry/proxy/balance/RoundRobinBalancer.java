package dev.ferry.proxy.balance;

import java.util.List;

/** Takes the endpoints in turn. */
final class RoundRobinBalancer implements Balancer {
  private int next;

  RoundRobinBalancer(int start) {
    this.next = start;
  }

  @Override
  public <T extends Target> T pick(List<T> targets, CharSequence hashKey) {
    int i = Math.floorMod(next++, targets.size());
    return targets.get(i);
  }
}
