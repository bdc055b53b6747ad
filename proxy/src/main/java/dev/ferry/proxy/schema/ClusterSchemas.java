package dev.ferry.proxy.schema;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import dev.ferry.proxy.reflection.SymbolFiles;
import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.status.ProxyStatus;
import dev.ferry.proxy.upstream.UpstreamCluster;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The method schemas of one cluster, as its server reflection described them (or its protoset, when
 * the config names one), for the calls of one event loop. A service is asked for once; a call
 * naming a method the cache does not know asks again (the backend may have been redeployed with
 * it), and calls waiting for the same service share one question. Used only on its loop, so it
 * needs no locks.
 */
public final class ClusterSchemas {
  private record Waiting(String method, SchemaCallback callback) {}

  /**
   * Questions in flight to one cluster from one loop, at most: a client naming ever new services (a
   * catch-all route lets it) must not turn into as many reflection calls on the backend.
   */
  static final int MAX_ASKING = 8;

  private final UpstreamCluster cluster;
  private final EventLoop loop;
  private final Map<String, Map<String, MethodSchema>> services = new HashMap<>();
  private final Map<String, List<Waiting>> asking = new HashMap<>();

  ClusterSchemas(UpstreamCluster cluster, EventLoop loop) {
    this.cluster = cluster;
    this.loop = loop;
  }

  /**
   * Finds method {@code method} of {@code service} (a full name, {@code helloworld.Greeter}); the
   * callback runs at once when the cache knows it, else once reflection answered.
   */
  public void find(String service, String method, SchemaCallback callback) {
    if (cluster.schema() != null) {
      fromProtoset(service, method, callback);
      return;
    }
    Map<String, MethodSchema> known = services.get(service);
    MethodSchema m = known == null ? null : known.get(method);
    if (m != null) {
      callback.found(m);
      return;
    }
    List<Waiting> waiting = asking.get(service);
    if (waiting != null) {
      waiting.add(new Waiting(method, callback));
      return;
    }
    if (asking.size() >= MAX_ASKING) {
      callback.failed(
          ProxyStatus.of(
              GrpcCode.UNAVAILABLE,
              503,
              LocalReplyReason.OVERLOADED,
              "ferry: "
                  + MAX_ASKING
                  + " schema questions to cluster '"
                  + cluster.name()
                  + "' are in flight already; retry"));
      return;
    }
    waiting = new ArrayList<>();
    waiting.add(new Waiting(method, callback));
    asking.put(service, waiting);
    SymbolFiles.ask(cluster, service, loop, new Answer(service));
  }

  /** A cluster with a protoset: its files are the whole truth, and reflection is never asked. */
  private void fromProtoset(String service, String method, SchemaCallback callback) {
    Map<String, MethodSchema> known =
        services.computeIfAbsent(
            service,
            s -> {
              Map<String, MethodSchema> m = methodsOf(s, cluster.schema().files());
              return m == null ? Map.of() : m;
            });
    MethodSchema m = known.get(method);
    if (m != null) {
      callback.found(m);
      return;
    }
    callback.failed(
        noSchema(
            GrpcCode.UNIMPLEMENTED,
            "ferry: the protoset of cluster '"
                + cluster.name()
                + "' has no method "
                + service
                + "/"
                + method));
  }

  private void answered(String service, Map<String, MethodSchema> methods, ProxyStatus failure) {
    if (methods != null) {
      services.put(service, methods);
    }
    for (Waiting w : asking.remove(service)) {
      MethodSchema m = methods == null ? null : methods.get(w.method());
      if (m != null) {
        w.callback().found(m);
      } else if (failure != null) {
        w.callback().failed(failure);
      } else {
        w.callback()
            .failed(
                noSchema(
                    GrpcCode.UNIMPLEMENTED,
                    "ferry: service "
                        + service
                        + " of cluster '"
                        + cluster.name()
                        + "' has no method "
                        + w.method()
                        + " (by its server reflection)"));
      }
    }
  }

  private static ProxyStatus noSchema(GrpcCode code, String detail) {
    return ProxyStatus.of(code, code.httpStatus(), LocalReplyReason.NO_SCHEMA, detail);
  }

  /** The methods of {@code service} in {@code files}, or null when none of them defines it. */
  static Map<String, MethodSchema> methodsOf(String service, List<FileDescriptor> files) {
    TypeRegistry.Builder types = TypeRegistry.newBuilder();
    ServiceDescriptor found = null;
    for (FileDescriptor f : files) {
      types.add(f.getMessageTypes());
      ServiceDescriptor s = f.findServiceByName(lastPart(service));
      if (s != null && s.getFullName().equals(service)) {
        found = s;
      }
    }
    if (found == null) {
      return null;
    }
    TypeRegistry registry = types.build();
    JsonFormat.Parser parser =
        JsonFormat.parser().usingTypeRegistry(registry).ignoringUnknownFields();
    JsonFormat.Printer printer =
        JsonFormat.printer().usingTypeRegistry(registry).omittingInsignificantWhitespace();
    Map<String, MethodSchema> methods = new HashMap<>();
    for (MethodDescriptor m : found.getMethods()) {
      methods.put(m.getName(), new MethodSchema(m, parser, printer));
    }
    return methods;
  }

  private static String lastPart(String fullName) {
    return fullName.substring(fullName.lastIndexOf('.') + 1);
  }

  /** The answer to one question about {@code service}. */
  private final class Answer implements SymbolFiles.Answer {
    private final String service;

    Answer(String service) {
      this.service = service;
    }

    @Override
    public void files(List<byte[]> fileDescriptorProtos) {
      Map<String, MethodSchema> methods;
      try {
        methods = methodsOf(service, SchemaFiles.build(fileDescriptorProtos));
      } catch (IllegalArgumentException e) {
        answered(
            service,
            null,
            noSchema(
                GrpcCode.INTERNAL,
                "ferry: the schema of "
                    + service
                    + " that cluster '"
                    + cluster.name()
                    + "' gave by server reflection does not build: "
                    + e.getMessage()));
        return;
      }
      if (methods == null) {
        notFound("its files do not define it");
        return;
      }
      answered(service, methods, null);
    }

    @Override
    public void notFound(String message) {
      answered(
          service,
          null,
          noSchema(
              GrpcCode.UNIMPLEMENTED,
              "ferry: cluster '"
                  + cluster.name()
                  + "' has no service "
                  + service
                  + " (its server reflection: "
                  + message
                  + ")"));
    }

    @Override
    public void failed(LocalReplyReason reason, String failure) {
      String detail =
          "ferry: no schema of " + service + " from cluster '" + cluster.name() + "': " + failure;
      // Answered, but not by a reflection server: the backend has no reflection to ask.
      ProxyStatus status =
          reason == LocalReplyReason.UPSTREAM_PROTOCOL_ERROR
              ? noSchema(
                  GrpcCode.UNIMPLEMENTED,
                  detail
                      + " (the backend offers no grpc.reflection, which JSON needs; protobuf's"
                      + " binary form, such as Connect's application/proto, needs no schema)")
              : ProxyStatus.of(GrpcCode.UNAVAILABLE, 503, reason, detail);
      answered(service, null, status);
    }
  }
}
