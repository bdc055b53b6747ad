package dev.ferry.proxy.call;

import dev.ferry.proxy.reflection.MergedReflectionCall;
import dev.ferry.proxy.route.RouteTable;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.transport.StreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * A client's reflection stream that ferry answers itself for every cluster its listener reaches
 * ({@link MergedReflectionCall}), recorded in the metrics and access log like any call.
 */
final class ReflectionStream implements StreamHandler {
  private final Worker worker;
  private final RouteTable routes;
  private final Downstream down;
  private final int downId;
  private final CallRecord record;
  private final boolean requestEnded;
  private MergedReflectionCall reflection;

  ReflectionStream(
      Worker worker,
      RouteTable routes,
      Downstream down,
      int downId,
      CallRecord record,
      boolean requestEnded) {
    this.worker = worker;
    this.routes = routes;
    this.down = down;
    this.downId = downId;
    this.record = record;
    this.requestEnded = requestEnded;
  }

  @Override
  public void start() {
    record.meters = worker.meters().reflection();
    record.meters.streamOpened();
    record.httpStatus = 200;
    record.upstream = "ferry";
    reflection =
        MergedReflectionCall.start(
            new CountedDownstream(down, record),
            downId,
            routes.clusters(),
            worker::cluster,
            (status, localReply) -> {
              record.grpcStatus = status;
              record.localReply = localReply;
            });
    if (requestEnded) {
      reflection.onRequestTrailers();
    }
  }

  @Override
  public void onRequestData(ByteBuf data, boolean endStream) {
    record.requestData(data);
    reflection.onRequestData(data, endStream);
  }

  @Override
  public void onRequestTrailers(Http2Headers trailers) {
    reflection.onRequestTrailers();
  }

  @Override
  public void onDownstreamClosed() {
    if (!record.isFinished()) {
      if (record.grpcStatus < 0) {
        record.endedBy = LocalReplyReason.CLIENT_CANCELLED;
        record.detail = "the client closed the reflection stream before its end";
      }
      reflection.onDownstreamClosed();
      record.finish(down);
    }
  }
}
