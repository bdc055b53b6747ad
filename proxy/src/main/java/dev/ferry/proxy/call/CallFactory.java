package dev.ferry.proxy.call;

import dev.ferry.proxy.bridge.GrpcWebBridge;
import dev.ferry.proxy.connect.ConnectBridge;
import dev.ferry.proxy.cors.CorsDownstream;
import dev.ferry.proxy.cors.CorsPolicy;
import dev.ferry.proxy.cors.CorsPreflight;
import dev.ferry.proxy.reflection.MergedReflectionCall;
import dev.ferry.proxy.route.Route;
import dev.ferry.proxy.route.RouteTable;
import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.status.ProxyStatus;
import dev.ferry.proxy.transcode.TranscodeBridge;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.transport.StreamHandler;
import dev.ferry.proxy.upstream.CallCluster;
import dev.ferry.proxy.upstream.UpstreamCluster;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Chooses what serves each new client stream of a listener: a {@link ProxyCall}, or ferry's own
 * merged reflection when the stream asks for reflection and no route names it; a gRPC-Web or
 * Connect stream goes through its bridge first, and a browser's cross-origin request through the
 * route's CORS policy before that. Used on the listener's event loop.
 */
public final class CallFactory {
  private final Worker worker;
  private final RouteTable routes;
  private final CallAdmission admission;

  /** Streams served by {@code worker}'s loop and clusters, routed by {@code routes}. */
  public CallFactory(Worker worker, RouteTable routes) {
    this(worker, routes, worker::cluster);
  }

  CallFactory(Worker worker, RouteTable routes, Function<String, ? extends CallCluster> clusters) {
    this.worker = worker;
    this.routes = routes;
    this.admission = new CallAdmission(clusters);
  }

  /**
   * The handler of new stream {@code streamId} whose request headers are {@code headers}; the
   * caller keeps it with the stream, then {@link StreamHandler#start starts} it.
   */
  public StreamHandler newStream(
      Downstream down, int streamId, Http2Headers headers, boolean endStream) {
    CharSequence origin = CorsPolicy.crossOrigin(headers);
    if (origin != null) {
      // Only browsers' cross-origin requests pay a second route match.
      Route r = routes.match(headers, down.clientSubject());
      CorsPolicy cors = routes.cors(r);
      if (cors != null) {
        if (!cors.allows(origin)) {
          return refusedOrigin(down, streamId, headers, endStream, r, origin);
        }
        if (CorsPolicy.isPreflight(headers)) {
          return new CorsPreflight(down, streamId, cors, origin);
        }
        down = new CorsDownstream(down, cors, origin);
      }
    }
    boolean grpc = GrpcLocalReply.isGrpc(headers);
    if (grpc && GrpcWebBridge.asks(headers)) {
      // Only web content types get here: plain gRPC pays the one character compared in asks().
      return GrpcWebBridge.open(
          down, streamId, headers, endStream, (d, id, h, end) -> newCall(d, id, h, end, true));
    }
    if (!grpc && TranscodeBridge.mayFit(headers)) {
      // Only requests that are not gRPC and could be JSON pay for looking: rules first, so a
      // path a method's google.api.http claims is that method's, whatever the routes say.
      List<UpstreamCluster> clusters = grpcClusters();
      if (!clusters.isEmpty()) {
        Downstream client = down;
        return TranscodeBridge.open(
            worker.httpRules(),
            clusters,
            down,
            streamId,
            headers,
            endStream,
            h -> {
              Route r = routes.match(h, client.clientSubject());
              return r == null ? 0 : r.guard().maxRequestMessageBytes();
            },
            (d, id, h, e) -> newCall(d, id, h, e, true),
            () -> notTranscoded(client, streamId, headers, endStream, false));
      }
    }
    return notTranscoded(down, streamId, headers, endStream, grpc);
  }

  /** What serves a request no HTTP/JSON rule fits: a Connect call, or the call itself. */
  private StreamHandler notTranscoded(
      Downstream down, int streamId, Http2Headers headers, boolean endStream, boolean grpc) {
    if (!grpc) {
      // Only requests that are not gRPC pay for looking: a content type of Connect's, or a GET.
      ConnectBridge connect = ConnectBridge.read(headers);
      if (connect != null) {
        StreamHandler bridged = openConnect(connect, down, streamId, headers, endStream);
        if (bridged != null) {
          return bridged;
        }
      }
    }
    return newCall(down, streamId, headers, endStream, grpc);
  }

  /**
   * The clusters of this listener's routes that speak gRPC, in route order: where HTTP/JSON rules
   * come from.
   */
  private List<UpstreamCluster> grpcClusters() {
    List<UpstreamCluster> out = new ArrayList<>();
    for (String name : routes.clusters()) {
      UpstreamCluster c = worker.cluster(name);
      if (c != null && !c.isHttp1()) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * The Connect call for {@code headers}, or null when its route leads to an HTTP/1.1 cluster: JSON
   * to a REST backend is that backend's business.
   */
  private StreamHandler openConnect(
      ConnectBridge connect, Downstream down, int streamId, Http2Headers headers, boolean end) {
    Route r = routes.match(connect.routingHeaders(headers), down.clientSubject());
    UpstreamCluster cluster =
        r == null || r.directReply() != null ? null : worker.cluster(r.cluster());
    if (cluster != null && cluster.isHttp1()) {
      return null;
    }
    return connect.open(
        down,
        streamId,
        headers,
        end,
        cluster == null ? null : worker.schemas(cluster),
        r == null ? 0 : r.guard().maxRequestMessageBytes(),
        (d, id, h, e) -> newCall(d, id, h, e, true));
  }

  /** 403 with one line of text: the page's fetch fails, and the access log says why. */
  private StreamHandler refusedOrigin(
      Downstream down,
      int streamId,
      Http2Headers headers,
      boolean endStream,
      Route r,
      CharSequence origin) {
    CallRecord record =
        new CallRecord(worker, down.eventLoop().ticker(), headers, false, down.bridgedFrom());
    String detail =
        "ferry: origin "
            + origin
            + " is not in cors: allow_origins of "
            + (r == null ? "the listener" : "route '" + r.name() + "'");
    CallAdmission.Refused refused =
        new CallAdmission.Refused(
            ProxyStatus.of(GrpcCode.PERMISSION_DENIED, 403, LocalReplyReason.CORS_REFUSED, detail),
            0);
    return new ProxyCall(worker, admission, down, streamId, headers, endStream, record, r, refused);
  }

  private StreamHandler newCall(
      Downstream down, int streamId, Http2Headers headers, boolean endStream, boolean grpc) {
    CallRecord record =
        new CallRecord(worker, down.eventLoop().ticker(), headers, grpc, down.bridgedFrom());
    Route r = routes.match(headers, down.clientSubject());
    CallAdmission.Refused refused = null;
    if (grpc && MergedReflectionCall.handles(record.path(), r)) {
      refused = r == null ? null : CallAdmission.guard(r, headers, down);
      if (refused == null) {
        // One reflection for all: the proxy answers for every cluster this listener reaches.
        return new ReflectionStream(worker, routes, down, streamId, record, endStream);
      }
    }
    return new ProxyCall(worker, admission, down, streamId, headers, endStream, record, r, refused);
  }
}
