package dev.ferry.proxy.balance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BalancerTest {
  /** A target whose load the test sets. */
  static final class FakeTarget implements Target {
    final String key;
    final int weight;
    int inFlight;

    FakeTarget(String key, int weight) {
      this.key = key;
      this.weight = weight;
    }

    @Override
    public String key() {
      return key;
    }

    @Override
    public int weight() {
      return weight;
    }

    @Override
    public int inFlight() {
      return inFlight;
    }
  }

  private static final List<FakeTarget> THREE =
      List.of(new FakeTarget("a:1", 1), new FakeTarget("b:1", 1), new FakeTarget("c:1", 1));

  private static Map<String, Integer> spread(Balancer b, List<FakeTarget> targets, int n) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(b.pick(targets, null).key(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void roundRobin_takesEachInTurn() {
    Balancer b = Balancer.create(BalancePolicy.ROUND_ROBIN, new Random(1));
    String first = b.pick(THREE, null).key();
    String second = b.pick(THREE, null).key();
    String third = b.pick(THREE, null).key();
    assertThat(List.of(first, second, third)).containsExactlyInAnyOrder("a:1", "b:1", "c:1");
    assertThat(b.pick(THREE, null).key()).isEqualTo(first);
    assertThat(spread(b, THREE, 299).values()).allSatisfy(c -> assertThat(c).isBetween(99, 100));
  }

  @Test
  void weightedRoundRobin_givesEachItsShare_evenly() {
    List<FakeTarget> t = List.of(new FakeTarget("heavy", 3), new FakeTarget("light", 1));
    Balancer b = Balancer.create(BalancePolicy.WEIGHTED_ROUND_ROBIN, new Random(1));
    StringBuilder order = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      order.append(b.pick(t, null).key().charAt(0));
    }
    // Smooth: the light one is spread out, never two heavy-free gaps in a row.
    assertThat(order.toString()).isEqualTo("hhlhhhlh");
    assertThat(spread(b, t, 400)).containsEntry("heavy", 300).containsEntry("light", 100);
  }

  @Test
  void random_isRoughlyUniform_andSeeded() {
    Map<String, Integer> counts =
        spread(Balancer.create(BalancePolicy.RANDOM, new Random(42)), THREE, 3000);
    assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(900, 1100));
    assertThat(spread(Balancer.create(BalancePolicy.RANDOM, new Random(42)), THREE, 3000))
        .isEqualTo(counts);
  }

  @Test
  void leastRequest_prefersTheLessLoaded_ofTwoChoices() {
    FakeTarget busy = new FakeTarget("busy", 1);
    FakeTarget idle = new FakeTarget("idle", 1);
    busy.inFlight = 10;
    List<FakeTarget> t = List.of(busy, idle);
    Balancer b = Balancer.create(BalancePolicy.LEAST_REQUEST, new Random(7));
    // With two endpoints both are always drawn: the idle one wins every time.
    assertThat(spread(b, t, 100)).containsEntry("idle", 100);
  }

  @Test
  void leastRequest_withThree_neverPicksTheBusiest() {
    List<FakeTarget> t =
        List.of(new FakeTarget("a", 1), new FakeTarget("b", 1), new FakeTarget("busiest", 1));
    t.get(0).inFlight = 1;
    t.get(1).inFlight = 2;
    t.get(2).inFlight = 9;
    Map<String, Integer> counts =
        spread(Balancer.create(BalancePolicy.LEAST_REQUEST, new Random(3)), t, 3000);
    assertThat(counts).doesNotContainKey("busiest");
    assertThat(counts.get("a")).isGreaterThan(counts.get("b"));
  }

  @Test
  void ringHash_isStickyPerKey_andSpreadsKeys() {
    Balancer b = Balancer.create(BalancePolicy.RING_HASH, new Random(1));
    Map<String, Integer> perTarget = new HashMap<>();
    for (int user = 0; user < 300; user++) {
      String key = "user-" + user;
      String first = b.pick(THREE, key).key();
      for (int again = 0; again < 5; again++) {
        assertThat(b.pick(THREE, key).key()).isEqualTo(first);
      }
      perTarget.merge(first, 1, Integer::sum);
    }
    assertThat(perTarget.values()).allSatisfy(c -> assertThat(c).isBetween(60, 140));
  }

  @Test
  void ringHash_removingAnEndpoint_movesOnlyItsKeys() {
    Balancer full = Balancer.create(BalancePolicy.RING_HASH, new Random(1));
    Balancer less = Balancer.create(BalancePolicy.RING_HASH, new Random(1));
    List<FakeTarget> two = List.of(THREE.get(0), THREE.get(1));
    for (int user = 0; user < 300; user++) {
      String key = "user-" + user;
      String before = full.pick(THREE, key).key();
      if (!before.equals("c:1")) {
        assertThat(less.pick(two, key).key()).isEqualTo(before);
      }
    }
  }
}
