package dev.ferry.proxy.reflection;

import dev.ferry.proxy.grpc.ProtoWireWriter;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.upstream.UpstreamCluster;
import io.netty.channel.EventLoop;
import java.util.List;

/**
 * One {@code list_services} question to one cluster's server reflection, for the proxy's own use
 * (the HTTP/JSON rule table is built from every service a cluster offers). Answered on the caller's
 * event loop, like {@link SymbolFiles}.
 */
public final class ServiceList {
  private static final long TIMEOUT_MILLIS = 5000;

  /** What the question ends with; called once, on the event loop. */
  public interface Answer {
    /** The full names of the services the cluster offers, reflection's own among them. */
    void services(List<String> names);

    /** The cluster could not be asked or gave no reflection answer. */
    void failed(LocalReplyReason reason, String failure);
  }

  private ServiceList() {}

  /** Asks {@code cluster} which services it offers, on {@code loop}. */
  public static void ask(UpstreamCluster cluster, EventLoop loop, Answer answer) {
    byte[] request =
        new ProtoWireWriter().stringField(ReflectionMessages.LIST_SERVICES, "*").toByteArray();
    new ReflectionExchange(
            cluster,
            request,
            loop,
            TIMEOUT_MILLIS,
            (response, reason, failure) -> {
              if (response == null) {
                answer.failed(reason, failure);
              } else if (ReflectionMessages.errorCode(response) >= 0) {
                answer.failed(
                    LocalReplyReason.UPSTREAM_PROTOCOL_ERROR, "list_services answered an error");
              } else {
                answer.services(ReflectionMessages.listedServices(response));
              }
            })
        .start();
  }
}
