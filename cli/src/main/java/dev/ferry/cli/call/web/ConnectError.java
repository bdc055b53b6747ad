package dev.ferry.cli.call.web;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.ferry.proxy.status.GrpcCode;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.Locale;
import java.util.Map;

/**
 * Connect's errors: a JSON object ({@code {"code": "unavailable", "message": "..."}}) in a unary
 * answer's body or a stream's end message; without one, the HTTP status says the code.
 */
final class ConnectError {
  private ConnectError() {}

  /** The status {@code json} (a Connect error object) names, or null when it is not one. */
  static Status parse(JsonElement json) {
    if (json == null || !json.isJsonObject()) {
      return null;
    }
    JsonObject o = json.getAsJsonObject();
    JsonElement code = o.get("code");
    if (code == null || !code.isJsonPrimitive()) {
      return null;
    }
    JsonElement message = o.get("message");
    Status s = Status.fromCode(code(code.getAsString()));
    return message != null && message.isJsonPrimitive()
        ? s.withDescription(message.getAsString())
        : s;
  }

  /** A unary answer's status from its HTTP status and body, which should hold the error JSON. */
  static Status ofUnary(int httpStatus, String body) {
    try {
      Status s = parse(JsonParser.parseString(body));
      if (s != null) {
        return s;
      }
    } catch (JsonParseException e) {
      // Not JSON: an intermediary answered, not a Connect server.
    }
    return Status.fromCodeValue(GrpcCode.forHttpStatus(httpStatus).value())
        .withDescription(
            "HTTP "
                + httpStatus
                + " without a Connect error in the body: an intermediary or a server that is not"
                + " Connect answered"
                + (body.isBlank() ? "" : ": " + Snippet.of(body)));
  }

  /** The metadata of a stream's end message: {@code {"name": ["value", ...]}}. */
  static Metadata metadata(JsonElement json) {
    Metadata m = new Metadata();
    if (json != null && json.isJsonObject()) {
      for (Map.Entry<String, JsonElement> e : json.getAsJsonObject().entrySet()) {
        if (e.getValue().isJsonArray()) {
          for (JsonElement v : e.getValue().getAsJsonArray()) {
            if (v.isJsonPrimitive()) {
              HttpMetadata.put(m, e.getKey().toLowerCase(Locale.ROOT), v.getAsString());
            }
          }
        }
      }
    }
    return m;
  }

  /** Connect's code names are gRPC's in lower case, but for "canceled". */
  private static Status.Code code(String name) {
    if (name.equals("canceled")) {
      return Status.Code.CANCELLED;
    }
    try {
      return Status.Code.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Status.Code.UNKNOWN;
    }
  }
}
