package dev.ferry.bench;

import dev.ferry.proxy.balance.Balancer;
import dev.ferry.proxy.balance.Target;
import dev.ferry.proxy.config.ClusterConfig.BalancePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** How long each balancing policy takes to pick one of eight endpoints for a call. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BalancerPickBenchmark {
  @Param({"ROUND_ROBIN", "LEAST_REQUEST", "RANDOM", "WEIGHTED_ROUND_ROBIN", "RING_HASH"})
  public String policy;

  Balancer balancer;
  List<Endpoint> endpoints;
  String[] keys;
  int call;

  /** A stand-in endpoint: a name, a weight and a number of calls in flight. */
  record Endpoint(String key, int weight, int inFlight) implements Target {}

  @Setup
  public void setUp() {
    balancer = Balancer.create(BalancePolicy.valueOf(policy), new Random(1));
    endpoints = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      endpoints.add(new Endpoint("10.0.0." + i + ":50051", 1 + i % 3, i % 4));
    }
    keys = new String[1024];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = "user-" + i; // the ring_hash key; built here so that only the pick is measured
    }
  }

  @Benchmark
  public Target pick() {
    return balancer.pick(endpoints, keys[call++ & 1023]);
  }
}
