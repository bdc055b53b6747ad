package dev.ferry.proxy.connect;

import dev.ferry.proxy.grpc.ProtoWireReader;
import dev.ferry.proxy.status.GrpcCode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * How a call ended, as Connect tells it: the code, the message as a person reads it, and the
 * error's details, which gRPC carries in {@code grpc-status-details-bin} (a google.rpc.Status).
 *
 * @param details each detail's type ({@code google.rpc.RetryInfo}) and serialized message
 */
record ConnectStatus(GrpcCode code, String message, List<Detail> details) {
  /** One error detail: a google.protobuf.Any's type name and value. */
  record Detail(String type, byte[] value) {}

  /** A status without details. */
  static ConnectStatus of(GrpcCode code, String message) {
    return new ConnectStatus(code, message, List.of());
  }

  /**
   * The details in {@code grpcStatusDetailsBin} (base64 of google.rpc.Status { repeated Any details
   * = 3; }, padded or not); none when it is absent or unreadable, since the code and message say
   * the essential.
   */
  static List<Detail> detailsOf(CharSequence grpcStatusDetailsBin) {
    if (grpcStatusDetailsBin == null) {
      return List.of();
    }
    try {
      // Java's decoder takes it with padding or without, as gRPC implementations differ.
      byte[] status = Base64.getDecoder().decode(grpcStatusDetailsBin.toString());
      List<Detail> out = new ArrayList<>();
      ProtoWireReader r = new ProtoWireReader(status);
      while (r.nextField()) {
        if (!r.is(3, ProtoWireReader.LENGTH_DELIMITED)) {
          r.skipField();
          continue;
        }
        ProtoWireReader any = r.readMessage();
        String typeUrl = "";
        byte[] value = new byte[0];
        while (any.nextField()) {
          if (any.is(1, ProtoWireReader.LENGTH_DELIMITED)) {
            typeUrl = any.readString();
          } else if (any.is(2, ProtoWireReader.LENGTH_DELIMITED)) {
            value = any.readBytes();
          } else {
            any.skipField();
          }
        }
        out.add(new Detail(typeUrl.substring(typeUrl.lastIndexOf('/') + 1), value));
      }
      return out;
    } catch (IllegalArgumentException e) {
      return List.of();
    }
  }
}
