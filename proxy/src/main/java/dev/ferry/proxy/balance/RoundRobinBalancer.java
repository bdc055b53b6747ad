package dev.ferry.proxy.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Takes the endpoints in turn, as nginx's round robin does: the turn belongs to the cluster, not to
 * an event loop, so two calls in a row go to different endpoints even when they arrive on
 * connections served by different loops. One atomic increment per call.
 */
final class RoundRobinBalancer implements Balancer {
  private final AtomicInteger turns;

  RoundRobinBalancer(AtomicInteger turns) {
    this.turns = turns;
  }

  @Override
  public <T extends Target> T pick(List<T> targets, CharSequence hashKey) {
    return targets.get(Math.floorMod(turns.getAndIncrement(), targets.size()));
  }

  @Override
  public <T extends Target> T peek(List<T> targets, CharSequence hashKey) {
    return targets.get(Math.floorMod(turns.get(), targets.size()));
  }
}
