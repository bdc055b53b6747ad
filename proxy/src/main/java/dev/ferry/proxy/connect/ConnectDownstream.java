package dev.ferry.proxy.connect;

import dev.ferry.proxy.schema.MethodSchema;
import dev.ferry.proxy.status.CallProtocol;
import dev.ferry.proxy.transport.Downstream;
import dev.ferry.proxy.transport.ForwardingDownstream;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;

/**
 * The client of a Connect call as the gRPC call sees it: the base of the unary and the streaming
 * answer. JSON answers need the method's schema, which arrives with the request's ({@link
 * #useSchema}); a binary one needs none.
 */
abstract class ConnectDownstream extends ForwardingDownstream {
  final ConnectCodec codec;
  // The bridge read (and acknowledged) the client's body itself to convert it: what the call
  // acknowledges of the gRPC body it was given is not the client's to hear.
  private final boolean requestConverted;
  MethodSchema schema; // null until the request's method is known (JSON only)
  private int sentStatus; // the HTTP status the client got, once it did

  ConnectDownstream(Downstream down, ConnectCodec codec, boolean requestConverted) {
    super(down);
    this.codec = codec;
    this.requestConverted = requestConverted;
  }

  /** The schema the JSON answer is written by. */
  void useSchema(MethodSchema schema) {
    this.schema = schema;
  }

  @Override
  public void consume(int streamId, int bytes) {
    if (!requestConverted) {
      down.consume(streamId, bytes);
    }
  }

  /** Notes the HTTP status of the answer's headers, for the access log. */
  void sent(int httpStatus) {
    sentStatus = httpStatus;
  }

  @Override
  public int clientStatus(int callStatus) {
    return sentStatus != 0 ? sentStatus : callStatus;
  }

  @Override
  public CallProtocol bridgedFrom() {
    return CallProtocol.CONNECT;
  }

  /**
   * Tells a writer that its bytes are taken, at once: they were held or converted and need not wait
   * for the client's connection (a unary answer is bounded by its one message).
   */
  @SuppressWarnings("unchecked")
  void taken(GenericFutureListener<? extends Future<? super Void>> onWritten) {
    try {
      ((GenericFutureListener<Future<Void>>) onWritten)
          .operationComplete(down.eventLoop().newSucceededFuture(null));
    } catch (Exception e) {
      throw new IllegalStateException("a write listener failed", e);
    }
  }
}
