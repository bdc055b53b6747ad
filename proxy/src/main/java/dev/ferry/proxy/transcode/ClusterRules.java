package dev.ferry.proxy.transcode;

import dev.ferry.proxy.schema.ClusterServices;
import dev.ferry.proxy.schema.MethodSchema;
import dev.ferry.proxy.schema.ProtosetMethods;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.upstream.UpstreamCluster;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP rule table of one cluster for the requests of one event loop, learned by asking the
 * cluster's server reflection for every service and its files. It is asked for the first time when
 * a request needs it, and again when a request fits no rule (the backend may have gained a method),
 * but at most {@link #MAX_QUESTIONS} times in {@link #WINDOW_NANOS}: a stream of requests for a
 * REST backend behind the same listener must not become a stream of reflection calls. Requests
 * waiting while a question is in flight share it. Used only on its loop, so it needs no locks.
 */
final class ClusterRules {
  private static final Logger log = LoggerFactory.getLogger(ClusterRules.class);
  static final int MAX_QUESTIONS = 4;
  static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Where the table is: never asked, being asked, or known (perhaps empty). */
  private enum Phase {
    UNKNOWN,
    ASKING,
    KNOWN
  }

  private final UpstreamCluster cluster;
  private final EventLoop loop;
  private final Deque<Long> askedAt = new ArrayDeque<>(); // the last questions' start times
  private final List<Runnable> waiting = new ArrayList<>();
  private HttpRuleTable table = HttpRuleTable.EMPTY;
  private Phase phase = Phase.UNKNOWN;

  ClusterRules(UpstreamCluster cluster, EventLoop loop) {
    this.cluster = cluster;
    this.loop = loop;
    if (cluster.schema() != null) {
      // Its protoset is the whole truth: known from the start, and reflection is never asked.
      table =
          HttpRuleTable.of(
              ProtosetMethods.all(cluster.schema()),
              "cluster '" + cluster.name() + "' (protoset " + cluster.schema().paths() + ")");
      phase = Phase.KNOWN;
    }
  }

  /** The table as known now: empty before the first answer. */
  HttpRuleTable table() {
    return table;
  }

  /** Whether the table was never asked for: a request must wait for it. */
  boolean unknown() {
    return phase == Phase.UNKNOWN;
  }

  /**
   * Whether a request that fit no rule may ask again now: a question is in flight (it will share
   * it) or the budget allows another.
   */
  boolean mayAskAgain() {
    if (cluster.schema() != null) {
      return false;
    }
    if (phase == Phase.ASKING) {
      return true;
    }
    long now = loop.ticker().nanoTime();
    while (!askedAt.isEmpty() && now - askedAt.peekFirst() >= WINDOW_NANOS) {
      askedAt.removeFirst();
    }
    return askedAt.size() < MAX_QUESTIONS;
  }

  /** Asks the cluster (or joins the question in flight); {@code done} runs once it answered. */
  void ask(Runnable done) {
    waiting.add(done);
    if (phase == Phase.ASKING) {
      return;
    }
    phase = Phase.ASKING;
    askedAt.addLast(loop.ticker().nanoTime());
    ClusterServices.ask(
        cluster,
        loop,
        new ClusterServices.Answer() {
          @Override
          public void methods(List<MethodSchema> methods, List<String> failures) {
            for (String f : failures) {
              log.warn("cluster '{}': no HTTP rules from {}", cluster.name(), f);
            }
            answered(HttpRuleTable.of(methods, "cluster '" + cluster.name() + "'"));
          }

          @Override
          public void failed(LocalReplyReason reason, String failure) {
            // Keep what was known: a backend briefly away must not take its rules with it.
            log.debug("cluster '{}': no services listed: {}", cluster.name(), failure);
            answered(table);
          }
        });
  }

  private void answered(HttpRuleTable next) {
    table = next;
    phase = Phase.KNOWN;
    List<Runnable> done = new ArrayList<>(waiting);
    waiting.clear();
    done.forEach(Runnable::run);
  }
}
