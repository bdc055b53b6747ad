package dev.ferry.proxy.e2e;

import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.VoteRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Calls Daininki/Vote through a proxy one after another on a thread of its own, remembering who
 * served each call and when it started, and every failure: for watching traffic move while the
 * configuration changes.
 */
final class TrafficProbe implements AutoCloseable {
  /** One call: when it started ({@link System#nanoTime}) and who served it. */
  record Served(long startNanos, String by) {}

  private final ManagedChannel channel;
  private final Thread thread;
  private final List<Served> served = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private volatile boolean running = true;

  private TrafficProbe(ManagedChannel channel) {
    this.channel = channel;
    this.thread = new Thread(this::run, "traffic-probe");
  }

  static TrafficProbe start(ManagedChannel channel) {
    TrafficProbe p = new TrafficProbe(channel);
    p.thread.start();
    return p;
  }

  private void run() {
    DaininkiGrpc.DaininkiBlockingStub stub = DaininkiGrpc.newBlockingStub(channel);
    while (running) {
      long start = System.nanoTime();
      try {
        String by =
            stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                .vote(VoteRequest.newBuilder().setCandidate("ferry").build())
                .getServedBy();
        synchronized (this) {
          served.add(new Served(start, by));
        }
      } catch (StatusRuntimeException e) {
        synchronized (this) {
          failures.add(e.getStatus().toString());
        }
      }
    }
  }

  synchronized List<String> failures() {
    return List.copyOf(failures);
  }

  /**
   * The start of the first call after {@code sinceNanos} from which {@code run} calls in a row
   * satisfy {@code holds}, in nanoseconds since {@code sinceNanos}; -1 while there is none.
   */
  synchronized long settledAfter(long sinceNanos, int run, Predicate<String> holds) {
    int inRow = 0;
    long firstOfRow = -1;
    for (Served s : served) {
      if (s.startNanos() < sinceNanos) {
        continue;
      }
      if (holds.test(s.by())) {
        if (inRow++ == 0) {
          firstOfRow = s.startNanos();
        }
        if (inRow >= run) {
          return firstOfRow - sinceNanos;
        }
      } else {
        inRow = 0;
      }
    }
    return -1;
  }

  /** Who served the calls started after {@code sinceNanos}. */
  synchronized List<String> servedSince(long sinceNanos) {
    return served.stream().filter(s -> s.startNanos() >= sinceNanos).map(Served::by).toList();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(15_000);
  }
}
