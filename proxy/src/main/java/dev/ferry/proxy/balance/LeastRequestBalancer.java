package dev.ferry.proxy.balance;

import java.util.List;
import java.util.Random;

/**
 * Power of two choices: of two endpoints drawn at random, the one with fewer calls in flight. It
 * avoids the herd that always-the-least causes when many loops see the same counts.
 */
final class LeastRequestBalancer implements Balancer {
  private final Random random;

  LeastRequestBalancer(Random random) {
    this.random = random;
  }

  @Override
  public <T extends Target> T pick(List<T> targets, CharSequence hashKey) {
    int n = targets.size();
    if (n == 1) {
      return targets.get(0);
    }
    int a = random.nextInt(n);
    int b = random.nextInt(n - 1);
    if (b >= a) {
      b++;
    }
    T ta = targets.get(a);
    T tb = targets.get(b);
    return tb.inFlight() < ta.inFlight() ? tb : ta;
  }
}
