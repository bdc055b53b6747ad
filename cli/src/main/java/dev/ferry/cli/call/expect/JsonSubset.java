package dev.ferry.cli.call.expect;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.Map;

/**
 * Whether one JSON value is contained in another ({@code --expect}): every field of an expected
 * object is in the actual one with a matching value; an expected array matches element by element.
 */
final class JsonSubset {
  private JsonSubset() {}

  /**
   * Parses an expected value; an IllegalArgumentException saying where it stops being JSON, such as
   * {@code End of input at line 1 column 5 path $.bad}.
   */
  static JsonElement parseExpected(String json) {
    try {
      JsonElement value = JsonParser.parseString(json);
      if (value.isJsonNull() && !json.strip().equals("null")) {
        throw new IllegalArgumentException("no JSON value in it");
      }
      return value;
    } catch (JsonParseException e) {
      Throwable deepest = e;
      while (deepest.getCause() != null && deepest.getCause().getMessage() != null) {
        deepest = deepest.getCause();
      }
      throw new IllegalArgumentException(deepest.getMessage(), e);
    }
  }

  static boolean contains(String actualJson, String expectedJson) {
    return contains(JsonParser.parseString(actualJson), JsonParser.parseString(expectedJson));
  }

  static boolean contains(JsonElement actual, JsonElement expected) {
    if (expected.isJsonObject()) {
      if (!actual.isJsonObject()) {
        return false;
      }
      JsonObject a = actual.getAsJsonObject();
      for (Map.Entry<String, JsonElement> e : expected.getAsJsonObject().entrySet()) {
        if (!a.has(e.getKey()) || !contains(a.get(e.getKey()), e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (expected.isJsonArray()) {
      if (!actual.isJsonArray()) {
        return false;
      }
      JsonArray a = actual.getAsJsonArray();
      JsonArray x = expected.getAsJsonArray();
      if (a.size() != x.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!contains(a.get(i), x.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (expected.isJsonPrimitive() && actual.isJsonPrimitive()) {
      // protobuf JSON writes 64-bit integers as strings: "votes": "3" matches 3.
      return expected.getAsString().equals(actual.getAsString());
    }
    return expected.equals(actual);
  }
}
