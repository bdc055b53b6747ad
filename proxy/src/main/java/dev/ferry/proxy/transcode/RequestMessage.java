package dev.ferry.proxy.transcode;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds a transcoded request's message from its three sources: the body (the whole message with
 * {@code body: "*"}, one field with {@code body: "name"}), the path's variables, and, for every
 * field neither binds, the query parameters. All three become one JSON object that {@link
 * JsonFormat} reads once, so every field, well-known types included, takes its canonical JSON form
 * (a Timestamp as {@code 2024-05-06T07:08:09Z}, a FieldMask as {@code a,b.c}). Each path or query
 * value is first read alone, so that a value that is not of its field's type is named with where it
 * came from.
 */
final class RequestMessage {
  // Values from the path and the query are read strictly: an unknown name is an error there.
  private static final JsonFormat.Parser STRICT = JsonFormat.parser();

  private RequestMessage() {}

  /**
   * The request message of {@code match}'s method in protobuf's binary form.
   *
   * @param query the query's parameters
   * @param body the request body, empty for none
   * @throws BadRequest naming what does not fit and where it came from
   */
  static byte[] build(RuleMatch match, Map<String, List<String>> query, String body)
      throws BadRequest {
    HttpBinding b = match.binding();
    var request = b.method().descriptor().getInputType();
    JsonObject root = new JsonObject();
    Set<String> bound = new HashSet<>();
    if (!b.body().isEmpty() && !body.isBlank()) {
      JsonElement parsed = parse(body);
      if (b.bodyIsAll()) {
        if (!parsed.isJsonObject()) {
          throw new BadRequest(
              "the body is not a JSON object of " + request.getFullName() + " (body: \"*\")");
        }
        root = parsed.getAsJsonObject();
      } else {
        FieldDescriptor f = FieldPaths.topLevel(request, b.body(), "body");
        root.add(f.getJsonName(), parsed);
        bound.add(f.getName());
      }
    }
    for (Map.Entry<String, String> v : match.captured().entrySet()) {
      List<FieldDescriptor> path = fieldsOf(request, v.getKey(), "path variable");
      set(root, path, List.of(v.getValue()), "path variable {" + v.getKey() + "}");
      bound.add(canonical(path));
    }
    if (!b.bodyIsAll()) {
      for (Map.Entry<String, List<String>> p : query.entrySet()) {
        List<FieldDescriptor> path = fieldsOf(request, p.getKey(), "query parameter");
        if (isBound(bound, canonical(path))) {
          // Bound by the path or the body already: grpc-gateway lets those win; so does ferry.
          continue;
        }
        set(root, path, p.getValue(), "query parameter " + p.getKey());
      }
    }
    try {
      return b.method().requestFromJson(root.toString());
    } catch (InvalidProtocolBufferException e) {
      throw new BadRequest(
          "the body is not JSON of " + request.getFullName() + ": " + e.getMessage());
    }
  }

  /** A field path by proto names, however the request spelled it. */
  private static String canonical(List<FieldDescriptor> path) {
    StringBuilder b = new StringBuilder();
    for (FieldDescriptor f : path) {
      b.append(b.length() == 0 ? "" : ".").append(f.getName());
    }
    return b.toString();
  }

  /** Whether {@code path} or a field it lies in is bound already. */
  private static boolean isBound(Set<String> bound, String path) {
    for (String b : bound) {
      if (path.equals(b) || path.startsWith(b + ".")) {
        return true;
      }
    }
    return false;
  }

  private static JsonElement parse(String body) throws BadRequest {
    try {
      return JsonParser.parseString(body);
    } catch (JsonParseException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new BadRequest("the body is not JSON: " + cause.getMessage());
    }
  }

  private static List<FieldDescriptor> fieldsOf(Descriptor request, String path, String what)
      throws BadRequest {
    try {
      return FieldPaths.resolve(request, path);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("unknown " + what + " " + path + ": " + e.getMessage());
    }
  }

  /**
   * Sets the field at {@code path} in {@code root} to {@code values}, after checking that they are
   * of its type.
   */
  private static void set(
      JsonObject root, List<FieldDescriptor> path, List<String> values, String where)
      throws BadRequest {
    FieldDescriptor leaf = path.get(path.size() - 1);
    JsonElement value = value(leaf, values, where);
    JsonObject alone = new JsonObject();
    alone.add(leaf.getJsonName(), value);
    try {
      STRICT.merge(alone.toString(), DynamicMessage.newBuilder(leaf.getContainingType()));
    } catch (InvalidProtocolBufferException e) {
      throw new BadRequest(
          where
              + ": "
              + (values.size() == 1 ? "'" + values.get(0) + "'" : values.toString())
              + " is not a value of "
              + leaf.getFullName()
              + " ("
              + typeName(leaf)
              + "): "
              + e.getMessage());
    }
    JsonObject at = root;
    for (FieldDescriptor f : path.subList(0, path.size() - 1)) {
      JsonElement next = at.get(f.getJsonName());
      if (next == null || !next.isJsonObject()) {
        next = new JsonObject();
        at.add(f.getJsonName(), next);
      }
      at = next.getAsJsonObject();
    }
    at.add(leaf.getJsonName(), value);
  }

  private static JsonElement value(FieldDescriptor leaf, List<String> values, String where)
      throws BadRequest {
    if (leaf.isMapField()
        || (leaf.getJavaType() == FieldDescriptor.JavaType.MESSAGE
            && !leaf.getMessageType().getFile().getPackage().equals("google.protobuf"))) {
      throw new BadRequest(
          where + ": " + leaf.getFullName() + " is a message; put it in the body instead");
    }
    if (!leaf.isRepeated()) {
      if (values.size() > 1) {
        throw new BadRequest(
            where
                + ": given "
                + values.size()
                + " times, but "
                + leaf.getFullName()
                + " is not repeated");
      }
      return new JsonPrimitive(values.get(0));
    }
    JsonArray array = new JsonArray();
    values.forEach(array::add);
    return array;
  }

  private static String typeName(FieldDescriptor f) {
    return f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        ? f.getMessageType().getFullName()
        : f.getType().name().toLowerCase(Locale.ROOT);
  }
}
