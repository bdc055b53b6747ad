package dev.ferry.proxy.healthcheck;

import dev.ferry.proxy.grpc.GrpcMessageFrame;
import dev.ferry.proxy.grpc.ProtoWireReader;
import dev.ferry.proxy.grpc.ProtoWireWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * grpc.health.v1's two tiny messages, encoded and decoded by hand: the proxy has no protobuf
 * runtime, and {@code HealthCheckRequest { string service = 1; }} and {@code HealthCheckResponse {
 * ServingStatus status = 1; }} are a few bytes each.
 */
final class GrpcHealthMessages {
  /** ServingStatus.SERVING. */
  static final int SERVING = 1;

  /** The answer could not be read as a HealthCheckResponse. */
  static final int MALFORMED = -1;

  private GrpcHealthMessages() {}

  /** A whole gRPC message frame (uncompressed) holding HealthCheckRequest{service}. */
  static ByteBuf request(ByteBufAllocator alloc, String service) {
    ProtoWireWriter message = new ProtoWireWriter();
    if (!service.isEmpty()) { // proto3 leaves a field at its default out
      message.stringField(1, service);
    }
    return GrpcMessageFrame.of(alloc, message.toByteArray());
  }

  /**
   * The status in a HealthCheckResponse: 0 UNKNOWN, 1 SERVING, 2 NOT_SERVING, 3 SERVICE_UNKNOWN, or
   * {@link #MALFORMED} (also for no message at all).
   */
  static int status(byte[] message) {
    if (message == null) {
      return MALFORMED;
    }
    int status = 0; // proto3: an absent field is its default, UNKNOWN
    try {
      ProtoWireReader r = new ProtoWireReader(message);
      while (r.nextField()) {
        if (r.is(1, ProtoWireReader.VARINT)) {
          status = (int) r.readVarint();
        } else {
          r.skipField();
        }
      }
    } catch (IllegalArgumentException e) {
      return MALFORMED;
    }
    return status;
  }
}
