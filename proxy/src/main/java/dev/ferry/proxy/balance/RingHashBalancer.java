package dev.ferry.proxy.balance;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Consistent hashing on a request header: the same key goes to the same endpoint, and when an
 * endpoint leaves only its keys move. A call without the key goes to a random endpoint.
 */
final class RingHashBalancer implements Balancer {
  /** Points per unit of weight: enough for an even spread over a handful of endpoints. */
  static final int POINTS_PER_WEIGHT = 160;

  private final Random random;
  private List<?> forTargets;
  private long[] ring;
  private int[] owner;

  RingHashBalancer(Random random) {
    this.random = random;
  }

  @Override
  public <T extends Target> T pick(List<T> targets, CharSequence hashKey) {
    if (hashKey == null) {
      return targets.get(random.nextInt(targets.size()));
    }
    if (forTargets != targets) {
      build(targets);
    }
    long h = hash(hashKey.toString());
    int i = Arrays.binarySearch(ring, h);
    if (i < 0) {
      i = -i - 1;
    }
    if (i == ring.length) {
      i = 0;
    }
    return targets.get(owner[i]);
  }

  private void build(List<? extends Target> targets) {
    int points = 0;
    for (Target t : targets) {
      points += Math.max(1, t.weight()) * POINTS_PER_WEIGHT;
    }
    long[] hashes = new long[points];
    int[] owners = new int[points];
    int p = 0;
    for (int t = 0; t < targets.size(); t++) {
      Target target = targets.get(t);
      int n = Math.max(1, target.weight()) * POINTS_PER_WEIGHT;
      for (int k = 0; k < n; k++) {
        hashes[p] = hash(target.key() + "#" + k);
        owners[p] = t;
        p++;
      }
    }
    // Sort the points, carrying their owners along.
    Integer[] order = new Integer[points];
    for (int i = 0; i < points; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(hashes[a], hashes[b]));
    ring = new long[points];
    owner = new int[points];
    for (int i = 0; i < points; i++) {
      ring[i] = hashes[order[i]];
      owner[i] = owners[order[i]];
    }
    forTargets = targets;
  }

  /** 64-bit FNV-1a, then murmur3's finalizer so that near keys land far apart. */
  static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
