package dev.ferry.proxy.reflection;

import dev.ferry.proxy.grpc.GrpcMessageFrame;
import dev.ferry.proxy.grpc.GrpcMessageReader;
import dev.ferry.proxy.route.Route;
import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.status.ProxyStatus;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.upstream.UpstreamCluster;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's grpc.reflection stream (v1 or v1alpha), answered by the proxy for every cluster its
 * listener routes to: {@code list_services} asks each cluster and answers the union; every other
 * question goes to the clusters in turn until one knows the answer (the first answer that is not
 * NOT_FOUND). Questions are answered one at a time, in order, as reflection clients expect.
 *
 * <p>Runs on the client connection's event loop, like the calls it stands for.
 */
public final class MergedReflectionCall {
  private static final Logger log = LoggerFactory.getLogger(MergedReflectionCall.class);
  private static final long TIMEOUT_MILLIS = 5000;

  /** How the grpc-message of a reflection stream starts when a cluster could not be asked. */
  static final String COULD_NOT_ASK = "ferry reflection: could not ask ";

  /** How a merged reflection call ended, for the call's record. */
  public interface Ended {
    /**
     * @param grpcStatus the status the client got
     * @param localReply the reason and detail when the proxy ended the stream with an error, also
     *     sent as the {@value LocalReplyReason#HEADER} trailer; {@code null} when it ended OK
     */
    void ended(int grpcStatus, ProxyStatus localReply);
  }

  /** A cluster that could not be asked: why, typed, and its name with its error, for a person. */
  private record Unasked(LocalReplyReason reason, String detail) {}

  private final Downstream down;
  private final int downId;
  private final List<UpstreamCluster> clusters;
  private final Ended onEnd;
  private final GrpcMessageReader reader = new GrpcMessageReader(ReflectionMessages.MAX_MESSAGE);
  private final List<ReflectionExchange> running = new ArrayList<>();
  private boolean headersSent;
  private boolean requestEnded;
  private boolean busy;
  private boolean ended;

  private MergedReflectionCall(
      Downstream down, int downId, List<UpstreamCluster> clusters, Ended onEnd) {
    this.down = down;
    this.downId = downId;
    this.clusters = clusters;
    this.onEnd = onEnd;
  }

  /**
   * Whether the proxy answers a request for {@code path} itself: it is a reflection stream, and no
   * route names the reflection service explicitly (such a route sends it to its cluster as is).
   */
  public static boolean handles(CharSequence path, Route matched) {
    // Compared in place: every call passes here, and a String of its path is garbage for all but
    // reflection's.
    if (path == null
        || !(ReflectionExchange.V1.contentEquals(path)
            || ReflectionExchange.V1ALPHA.contentEquals(path))) {
      return false;
    }
    String p = path.toString();
    if (matched == null || matched.config().match() == null) {
      return true;
    }
    String service = matched.config().match().service();
    String method = matched.config().match().method();
    return !(p.substring(1).startsWith(service + "/") || (method != null && p.endsWith(method)));
  }

  /**
   * Starts answering on stream {@code downId}, for the h2 clusters named in {@code clusterNames}
   * (those of the listener's routes); {@code onEnd} hears the grpc-status it ends with.
   */
  public static MergedReflectionCall start(
      Downstream down,
      int downId,
      List<String> clusterNames,
      Function<String, UpstreamCluster> clusters,
      Ended onEnd) {
    List<UpstreamCluster> h2 = new ArrayList<>();
    for (String name : clusterNames) {
      UpstreamCluster c = clusters.apply(name);
      if (c != null && !c.isHttp1() && !h2.contains(c)) {
        h2.add(c);
      }
    }
    return new MergedReflectionCall(down, downId, List.copyOf(h2), onEnd);
  }

  /** A piece of the request; this call owns {@code data}. */
  public void onRequestData(ByteBuf data, boolean endStream) {
    int n = data.readableBytes();
    try {
      if (!ended) {
        reader.add(data);
      }
    } finally {
      data.release();
      down.consume(downId, n);
    }
    if (endStream) {
      requestEnded = true;
    }
    drain();
  }

  /** The request ended with trailers. */
  public void onRequestTrailers() {
    requestEnded = true;
    drain();
  }

  /** The client stream closed: stop asking. */
  public void onDownstreamClosed() {
    ended = true;
    for (ReflectionExchange x : new ArrayList<>(running)) {
      x.cancel();
    }
    running.clear();
  }

  private void drain() {
    while (!busy && !ended) {
      byte[] msg;
      try {
        msg = reader.next();
      } catch (IllegalArgumentException e) {
        end(
            ProxyStatus.of(
                GrpcCode.INTERNAL,
                400,
                LocalReplyReason.PROTOCOL_ERROR,
                "ferry reflection: " + e.getMessage()));
        return;
      }
      if (msg == null) {
        break;
      }
      ReflectionMessages.Request req;
      try {
        req = ReflectionMessages.parseRequest(msg);
      } catch (IllegalArgumentException e) {
        end(
            ProxyStatus.of(
                GrpcCode.INVALID_ARGUMENT,
                400,
                LocalReplyReason.PROTOCOL_ERROR,
                "ferry reflection: malformed request: " + e.getMessage()));
        return;
      }
      busy = true;
      if (req.kind() == ReflectionMessages.LIST_SERVICES) {
        listServices(req);
      } else {
        askInTurn(req, 0, null, List.of());
      }
    }
    if (!busy && !ended && requestEnded && reader.isEmpty()) {
      endOk();
    }
  }

  /**
   * Asks every cluster and answers the union. When no cluster could be asked at all, the stream
   * ends UNAVAILABLE naming each cluster and why: an empty list would tell the client that the
   * server has no services, and every reflection client shows a stream's status as the error.
   */
  private void listServices(ReflectionMessages.Request req) {
    TreeSet<String> services = new TreeSet<>();
    List<Unasked> unasked = new ArrayList<>();
    int[] waiting = {clusters.size()};
    if (clusters.isEmpty()) {
      answer(ReflectionMessages.listServicesResponse(req, services));
      return;
    }
    for (UpstreamCluster c : clusters) {
      ask(
          c,
          req,
          (response, reason, failure) -> {
            if (response != null) {
              services.addAll(ReflectionMessages.listedServices(response));
            } else {
              log.warn("reflection: cannot list the services of cluster {}: {}", c.name(), failure);
              unasked.add(unasked(c, reason, failure));
            }
            if (--waiting[0] == 0) {
              if (unasked.size() == clusters.size()) {
                end(couldNotAsk(unasked));
              } else {
                answer(ReflectionMessages.listServicesResponse(req, services));
              }
            }
          });
    }
  }

  /**
   * Asks cluster {@code i}, then the next while the answer is NOT_FOUND or missing. When no cluster
   * knows the answer and one or more could not be asked, the stream ends UNAVAILABLE naming them:
   * the answer may well be behind them, so "not found" would mislead.
   */
  private void askInTurn(
      ReflectionMessages.Request req, int i, byte[] lastNotFound, List<Unasked> unasked) {
    if (i >= clusters.size()) {
      if (!unasked.isEmpty()) {
        end(couldNotAsk(unasked));
        return;
      }
      answer(
          lastNotFound != null
              ? lastNotFound
              : ReflectionMessages.errorResponse(
                  req, ReflectionMessages.NOT_FOUND, "no cluster behind ferry knows this"));
      return;
    }
    UpstreamCluster c = clusters.get(i);
    ask(
        c,
        req,
        (response, reason, failure) -> {
          if (response != null
              && ReflectionMessages.errorCode(response) != ReflectionMessages.NOT_FOUND) {
            answer(response);
          } else {
            List<Unasked> now = unasked;
            if (response == null) {
              log.warn("reflection: cannot ask cluster {}: {}", c.name(), failure);
              now = new ArrayList<>(unasked);
              now.add(unasked(c, reason, failure));
            }
            askInTurn(req, i + 1, response != null ? response : lastNotFound, now);
          }
        });
  }

  private static Unasked unasked(UpstreamCluster c, LocalReplyReason reason, String failure) {
    return new Unasked(reason, "cluster '" + c.name() + "': " + failure);
  }

  /**
   * UNAVAILABLE, {@code ferry reflection: could not ask cluster 'greeter': connect to ... refused},
   * with the reason of the first cluster that could not be asked: the typed marker {@code ferry
   * call} reads to say that the schema is behind the proxy, out of its reach.
   */
  static ProxyStatus couldNotAsk(List<Unasked> unasked) {
    return ProxyStatus.of(
        GrpcCode.UNAVAILABLE,
        503,
        unasked.get(0).reason(),
        COULD_NOT_ASK + String.join("; ", unasked.stream().map(Unasked::detail).toList()));
  }

  private void ask(UpstreamCluster c, ReflectionMessages.Request req, ReflectionExchange.Result r) {
    ReflectionExchange[] self = new ReflectionExchange[1];
    self[0] =
        new ReflectionExchange(
            c,
            req.raw(),
            down.eventLoop(),
            TIMEOUT_MILLIS,
            (response, reason, failure) -> {
              running.remove(self[0]);
              if (!ended) {
                r.done(response, reason, failure);
              }
            });
    running.add(self[0]);
    self[0].start();
  }

  private void answer(byte[] response) {
    if (ended) {
      return;
    }
    if (!headersSent) {
      headersSent = true;
      down.writeHeaders(
          downId,
          new DefaultHttp2Headers().status("200").add("content-type", "application/grpc"),
          false);
    }
    down.writeData(downId, GrpcMessageFrame.of(ByteBufAllocator.DEFAULT, response), false, f -> {});
    busy = false;
    drain();
  }

  private void endOk() {
    end(GrpcCode.OK, null);
  }

  private void end(ProxyStatus status) {
    end(status.code(), status);
  }

  private void end(GrpcCode code, ProxyStatus localReply) {
    int status = code.value();
    if (ended) {
      return;
    }
    ended = true;
    Http2Headers trailers = new DefaultHttp2Headers();
    if (!headersSent) {
      trailers.status("200").add("content-type", "application/grpc");
    }
    trailers.add("grpc-status", Integer.toString(status));
    if (localReply != null) {
      trailers.add("grpc-message", localReply.detail());
      trailers.add(LocalReplyReason.HEADER, localReply.reason().wireName());
    }
    down.writeHeaders(downId, trailers, true);
    onEnd.ended(status, localReply);
  }
}
