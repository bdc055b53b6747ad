package dev.ferry.proxy.balance;

import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks an endpoint for one call. An instance belongs to one event loop, so it keeps its state
 * without locks; round robin's turn is the exception, shared by the cluster's loops so that
 * consecutive calls alternate whichever connection they come on.
 */
public interface Balancer {
  /**
   * One of {@code targets} (never empty) for a call whose hash key (for ring hash) is {@code
   * hashKey}, or {@code null} for none.
   */
  <T extends Target> T pick(List<T> targets, CharSequence hashKey);

  /**
   * The endpoint {@link #pick} would give now, without taking a turn: for the proxy's own requests
   * (merged reflection), which must not shift the clients' rotation.
   */
  default <T extends Target> T peek(List<T> targets, CharSequence hashKey) {
    return pick(targets, hashKey);
  }

  /** A new balancer for {@code policy}, drawing randomness from {@code random}. */
  static Balancer create(BalancePolicy policy, Random random) {
    return create(policy, random, new AtomicInteger(random.nextInt(1 << 16)));
  }

  /**
   * A new balancer for {@code policy}, drawing randomness from {@code random}; round robin takes
   * its turns from {@code turns}, which every loop's balancer of one cluster shares.
   */
  static Balancer create(BalancePolicy policy, Random random, AtomicInteger turns) {
    switch (policy) {
      case ROUND_ROBIN:
        return new RoundRobinBalancer(turns);
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
