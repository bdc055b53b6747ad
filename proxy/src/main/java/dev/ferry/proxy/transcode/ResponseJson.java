package dev.ferry.proxy.transcode;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;

/**
 * A response message as a REST client reads it: proto3's canonical JSON of the whole message, or of
 * the one field {@code response_body} names (a field at its default is absent from the message's
 * JSON, so its default is written instead).
 */
final class ResponseJson {
  private ResponseJson() {}

  /**
   * The JSON of {@code message}, a response of {@code binding}'s method, as UTF-8.
   *
   * @throws InvalidProtocolBufferException when {@code message} is not of the response type
   */
  static byte[] of(HttpBinding binding, byte[] message) throws InvalidProtocolBufferException {
    String json = binding.method().responseToJson(message);
    if (binding.responseBody().isEmpty()) {
      return json.getBytes(StandardCharsets.UTF_8);
    }
    FieldDescriptor f =
        FieldPaths.topLevel(
            binding.method().descriptor().getOutputType(), binding.responseBody(), "response_body");
    JsonElement value = JsonParser.parseString(json).getAsJsonObject().get(f.getJsonName());
    if (value == null) {
      value = defaultOf(f);
    }
    return value.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonElement defaultOf(FieldDescriptor f) {
    if (f.isMapField()) {
      return new JsonObject();
    }
    if (f.isRepeated()) {
      return new JsonArray();
    }
    return switch (f.getJavaType()) {
      case MESSAGE -> new JsonObject();
      case STRING, BYTE_STRING -> new JsonPrimitive("");
      case BOOLEAN -> new JsonPrimitive(false);
      case ENUM -> new JsonPrimitive(f.getEnumType().getValues().get(0).getName());
      // proto3 JSON writes 64-bit integers as strings.
      case LONG -> new JsonPrimitive("0");
      default -> new JsonPrimitive(0);
    };
  }
}
