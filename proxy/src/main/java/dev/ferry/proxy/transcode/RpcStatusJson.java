package dev.ferry.proxy.transcode;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.ErrorDetailsProto;
import dev.ferry.proxy.grpc.GrpcMessageText;
import dev.ferry.proxy.status.GrpcCode;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * How a failed call reads to a REST client: the google.rpc.Status JSON form ({@code
 * {"code":5,"message":"...","details":[...]}}, as grpc-gateway and Envoy's transcoder write it),
 * with the HTTP status google.rpc maps the code to ({@link GrpcCode#httpStatus}). The details come
 * from {@code grpc-status-details-bin}; google.rpc's error details print in their JSON form, any
 * other type as its {@code @type} and base64 {@code value}.
 */
final class RpcStatusJson {
  private static final JsonFormat.Printer DETAILS =
      JsonFormat.printer()
          .usingTypeRegistry(
              TypeRegistry.newBuilder()
                  .add(ErrorDetailsProto.getDescriptor().getMessageTypes())
                  .build())
          .omittingInsignificantWhitespace();

  /** The code, and the error's body. */
  record Error(GrpcCode code, byte[] json) {
    int httpStatus() {
      return code.httpStatus();
    }
  }

  private RpcStatusJson() {}

  /**
   * The error {@code block} (the trailers, or a Trailers-Only answer) ends the call with, or null
   * when its status is OK. A block without {@code grpc-status} has the code a gRPC client would see
   * for its HTTP status.
   */
  static Error of(Http2Headers block) {
    CharSequence s = block.get("grpc-status");
    GrpcCode code;
    String message;
    if (s == null) {
      CharSequence http = block.status();
      code = GrpcCode.forHttpStatus(http == null ? 0 : parseInt(http));
      message = "ferry: the backend ended the call without grpc-status (HTTP " + http + ")";
    } else {
      GrpcCode parsed = GrpcCode.parse(s.toString());
      code = parsed == null ? GrpcCode.UNKNOWN : parsed;
      CharSequence m = block.get("grpc-message");
      message = m == null ? "" : GrpcMessageText.decode(m.toString());
    }
    if (code == GrpcCode.OK) {
      return null;
    }
    return error(code, message, block.get("grpc-status-details-bin"));
  }

  /** The error of {@code code} with {@code message} and the details in {@code detailsBin}. */
  static Error error(GrpcCode code, String message, CharSequence detailsBin) {
    JsonObject status = new JsonObject();
    status.addProperty("code", code.value());
    status.addProperty("message", message);
    JsonArray details = new JsonArray();
    for (Any any : details(detailsBin)) {
      details.add(detail(any));
    }
    status.add("details", details);
    return new Error(code, status.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static List<Any> details(CharSequence detailsBin) {
    if (detailsBin == null) {
      return List.of();
    }
    try {
      // gRPC implementations differ on padding: Java's decoder takes both.
      byte[] bytes = Base64.getDecoder().decode(detailsBin.toString());
      return com.google.rpc.Status.parseFrom(bytes).getDetailsList();
    } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
      return List.of(); // the code and message say the essential
    }
  }

  private static JsonObject detail(Any any) {
    try {
      return JsonParser.parseString(DETAILS.print(any)).getAsJsonObject();
    } catch (InvalidProtocolBufferException e) {
      // A type ferry does not know: say what it is and keep its bytes.
      JsonObject o = new JsonObject();
      o.addProperty("@type", any.getTypeUrl());
      o.addProperty("value", Base64.getEncoder().encodeToString(any.getValue().toByteArray()));
      return o;
    }
  }

  private static int parseInt(CharSequence s) {
    try {
      return Integer.parseInt(s.toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
