package dev.ferry.proxy.schema;

import dev.ferry.proxy.reflection.ServiceList;
import dev.ferry.proxy.reflection.SymbolFiles;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.upstream.UpstreamCluster;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every method a cluster offers, by its server reflection: the services it lists, then each
 * service's files. One question at a time per service, all on the caller's event loop; the answer
 * comes once every service has answered (a service that fails is left out and named).
 */
public final class ClusterServices {
  /** What the whole question ends with; called once, on the event loop. */
  public interface Answer {
    /**
     * The methods of every service the cluster could describe, and what could not be asked, as one
     * line each (empty when all went well).
     */
    void methods(List<MethodSchema> methods, List<String> failures);

    /** The cluster could not even list its services. */
    void failed(LocalReplyReason reason, String failure);
  }

  private final UpstreamCluster cluster;
  private final EventLoop loop;
  private final Answer answer;
  private final List<MethodSchema> methods = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private int pending;

  private ClusterServices(UpstreamCluster cluster, EventLoop loop, Answer answer) {
    this.cluster = cluster;
    this.loop = loop;
    this.answer = answer;
  }

  /** Asks {@code cluster} for all its methods, on {@code loop}. */
  public static void ask(UpstreamCluster cluster, EventLoop loop, Answer answer) {
    new ClusterServices(cluster, loop, answer).start();
  }

  private void start() {
    ServiceList.ask(
        cluster,
        loop,
        new ServiceList.Answer() {
          @Override
          public void services(List<String> names) {
            List<String> asked = new ArrayList<>();
            for (String n : names) {
              // The proxy's plumbing, not a service anyone transcodes to.
              if (!n.startsWith("grpc.reflection.") && !n.startsWith("grpc.health.")) {
                asked.add(n);
              }
            }
            pending = asked.size();
            if (pending == 0) {
              answer.methods(methods, failures);
            }
            for (String s : asked) {
              SymbolFiles.ask(cluster, s, loop, new Files(s));
            }
          }

          @Override
          public void failed(LocalReplyReason reason, String failure) {
            answer.failed(reason, failure);
          }
        });
  }

  private void done() {
    if (--pending == 0) {
      answer.methods(methods, failures);
    }
  }

  /** The files of one service. */
  private final class Files implements SymbolFiles.Answer {
    private final String service;

    Files(String service) {
      this.service = service;
    }

    @Override
    public void files(List<byte[]> fileDescriptorProtos) {
      try {
        Map<String, MethodSchema> m =
            ClusterSchemas.methodsOf(service, SchemaFiles.build(fileDescriptorProtos));
        if (m == null) {
          failures.add(service + ": its files do not define it");
        } else {
          methods.addAll(m.values());
        }
      } catch (IllegalArgumentException e) {
        failures.add(service + ": its schema does not build: " + e.getMessage());
      }
      done();
    }

    @Override
    public void notFound(String message) {
      failures.add(service + ": " + message);
      done();
    }

    @Override
    public void failed(LocalReplyReason reason, String failure) {
      failures.add(service + ": " + failure);
      done();
    }
  }
}
