package dev.ferry.proxy.connect;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.ferry.proxy.status.GrpcCode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Connect's error forms: the code names ({@code unavailable}), the HTTP status of a unary error
 * (the protocol's table, which is google.rpc's: {@link GrpcCode#httpStatus}), the error JSON of a
 * unary answer, and the end-of-stream JSON that closes a stream.
 */
final class ConnectErrors {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private ConnectErrors() {}

  /** Connect's name of {@code code}: gRPC's in lower case, but {@code canceled} with one l. */
  static String codeName(GrpcCode code) {
    return code == GrpcCode.CANCELLED ? "canceled" : code.name().toLowerCase(Locale.ROOT);
  }

  /** The HTTP status of a unary answer that failed with {@code code}. */
  static int httpStatus(GrpcCode code) {
    return code.httpStatus();
  }

  /** {@code {"code":"unavailable","message":"..."}} as UTF-8; no message when it is empty. */
  static byte[] errorJson(GrpcCode code, String message) {
    return GSON.toJson(error(code, message)).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The end-of-stream message: {@code {"error":{...},"metadata":{"key":["value"]}}}, without the
   * error when {@code code} is OK and without metadata when there is none.
   */
  static byte[] endStreamJson(GrpcCode code, String message, Map<String, JsonArray> metadata) {
    JsonObject end = new JsonObject();
    if (code != GrpcCode.OK) {
      end.add("error", error(code, message));
    }
    if (!metadata.isEmpty()) {
      JsonObject m = new JsonObject();
      metadata.forEach(m::add);
      end.add("metadata", m);
    }
    return GSON.toJson(end).getBytes(StandardCharsets.UTF_8);
  }

  private static JsonObject error(GrpcCode code, String message) {
    JsonObject e = new JsonObject();
    e.addProperty("code", codeName(code));
    if (message != null && !message.isEmpty()) {
      e.addProperty("message", message);
    }
    return e;
  }
}
