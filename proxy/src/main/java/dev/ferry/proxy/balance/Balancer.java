package dev.ferry.proxy.balance;

import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import java.util.List;
import java.util.Random;

/**
 * Picks an endpoint for one call. An instance belongs to one event loop, so it keeps its state
 * without locks.
 */
public interface Balancer {
  /**
   * One of {@code targets} (never empty) for a call whose hash key (for ring hash) is {@code
   * hashKey}, or {@code null} for none.
   */
  <T extends Target> T pick(List<T> targets, CharSequence hashKey);

  /** A new balancer for {@code policy}, drawing randomness from {@code random}. */
  static Balancer create(BalancePolicy policy, Random random) {
    switch (policy) {
      case ROUND_ROBIN:
        return new RoundRobinBalancer(random.nextInt(1 << 16));
      case WEIGHTED_ROUND_ROBIN:
        return new WeightedRoundRobinBalancer();
      case LEAST_REQUEST:
        return new LeastRequestBalancer(random);
      case RANDOM:
        return new RandomBalancer(random);
      case RING_HASH:
        return new RingHashBalancer(random);
      default:
        throw new IllegalArgumentException("balance: " + policy);
    }
  }
}
