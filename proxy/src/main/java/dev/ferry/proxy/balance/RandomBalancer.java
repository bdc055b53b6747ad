package dev.ferry.proxy.balance;

import java.util.List;
import java.util.Random;

/** Picks an endpoint uniformly at random. */
final class RandomBalancer implements Balancer {
  private final Random random;

  RandomBalancer(Random random) {
    this.random = random;
  }

  @Override
  public <T extends Target> T pick(List<T> targets, CharSequence hashKey) {
    return targets.get(random.nextInt(targets.size()));
  }
}
