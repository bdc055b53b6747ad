package dev.ferry.proxy.trace;

import dev.ferry.proxy.status.GrpcCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Describes a {@code google.rpc.Status} (the value of {@code grpc-status-details-bin}) from its
 * wire format alone: code, message, and the type of each detail.
 */
final class RpcStatusDetails {
  private RpcStatusDetails() {}

  static String describe(byte[] status) {
    List<ProtoWireDecoder.Field> fields = ProtoWireDecoder.parse(status);
    if (fields == null) {
      return "not a google.rpc.Status (" + status.length + " bytes that do not parse)";
    }
    long code = 0;
    String message = "";
    List<String> details = new ArrayList<>();
    for (ProtoWireDecoder.Field f : fields) {
      if (f.number() == 1 && f.wireType() == 0) {
        code = f.varint();
      } else if (f.number() == 2 && f.wireType() == 2) {
        message = new String(f.bytes(), StandardCharsets.UTF_8);
      } else if (f.number() == 3 && f.wireType() == 2) {
        details.add(anyDescription(f.bytes()));
      }
    }
    return "google.rpc.Status{code="
        + code
        + " ("
        + GrpcCode.nameOf((int) code)
        + "), message=\""
        + HeaderLines.printable(message)
        + "\", details="
        + details
        + "}";
  }

  /** A {@code google.protobuf.Any} as its type URL, its size and its raw fields. */
  private static String anyDescription(byte[] any) {
    List<ProtoWireDecoder.Field> fields = ProtoWireDecoder.parse(any);
    if (fields == null) {
      return "?";
    }
    String type = "?";
    byte[] value = new byte[0];
    for (ProtoWireDecoder.Field f : fields) {
      if (f.number() == 1 && f.wireType() == 2) {
        type = new String(f.bytes(), StandardCharsets.UTF_8);
      } else if (f.number() == 2 && f.wireType() == 2) {
        value = f.bytes();
      }
    }
    List<String> raw = ProtoWireDecoder.describe(value);
    return type + " " + (raw == null ? value.length + " bytes" : "{" + String.join(" ", raw) + "}");
  }
}
