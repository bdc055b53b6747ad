package dev.ferry.proxy.connect;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.ferry.proxy.status.GrpcCode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Connect's error forms: the code names ({@code unavailable}), the HTTP status of a unary error
 * (the protocol's table, which is google.rpc's: {@link GrpcCode#httpStatus}), the error JSON of a
 * unary answer with the error's details, and the end-of-stream JSON that closes a stream.
 */
final class ConnectErrors {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
  private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();

  private ConnectErrors() {}

  /** Connect's name of {@code code}: gRPC's in lower case, but {@code canceled} with one l. */
  static String codeName(GrpcCode code) {
    return code == GrpcCode.CANCELLED ? "canceled" : code.name().toLowerCase(Locale.ROOT);
  }

  /** The HTTP status of a unary answer that failed with {@code code}. */
  static int httpStatus(GrpcCode code) {
    return code.httpStatus();
  }

  /**
   * {@code {"code":"unavailable","message":"...","details":[...]}} as UTF-8; no message when it is
   * empty, no details when there are none.
   */
  static byte[] errorJson(ConnectStatus status) {
    return GSON.toJson(error(status)).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The end-of-stream message: {@code {"error":{...},"metadata":{"key":["value"]}}}, without the
   * error when {@code code} is OK and without metadata when there is none.
   */
  static byte[] endStreamJson(ConnectStatus status, Map<String, JsonArray> metadata) {
    JsonObject end = new JsonObject();
    if (status.code() != GrpcCode.OK) {
      end.add("error", error(status));
    }
    if (!metadata.isEmpty()) {
      JsonObject m = new JsonObject();
      metadata.forEach(m::add);
      end.add("metadata", m);
    }
    return GSON.toJson(end).getBytes(StandardCharsets.UTF_8);
  }

  private static JsonObject error(ConnectStatus status) {
    JsonObject e = new JsonObject();
    e.addProperty("code", codeName(status.code()));
    if (!status.message().isEmpty()) {
      e.addProperty("message", status.message());
    }
    if (!status.details().isEmpty()) {
      JsonArray details = new JsonArray();
      for (ConnectStatus.Detail d : status.details()) {
        JsonObject detail = new JsonObject();
        detail.addProperty("type", d.type());
        // Connect's value is standard base64; clients take it without padding.
        detail.addProperty("value", BASE64.encodeToString(d.value()));
        details.add(detail);
      }
      e.add("details", details);
    }
    return e;
  }
}
