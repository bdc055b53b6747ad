package dev.ferry.proxy.xds;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.ferry.proxy.config.XdsConfig;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bootstrap file of proxyless gRPC ({@code GRPC_XDS_BOOTSTRAP}): which control plane to ask,
 * over what credentials, and the node ferry says it is. Only the first of {@code xds_servers} is
 * used, as grpc does.
 *
 * @param serverUri the control plane's address, {@code host:port} (a {@code dns:///} or {@code
 *     xds:} scheme is passed on to grpc as given)
 * @param tls whether the channel is TLS ({@code channel_creds} of type {@code tls}) rather than
 *     plaintext ({@code insecure})
 * @param serverFeatures as given; ferry reads none of them yet
 * @param node the node sent in every request
 */
public record XdsBootstrap(String serverUri, boolean tls, List<String> serverFeatures, Node node) {

  /**
   * Reads {@code file}.
   *
   * @throws IllegalArgumentException with a one-line message naming the file and key when it is not
   *     a usable bootstrap
   */
  public static XdsBootstrap read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
    }
    return parse(file.toString(), text);
  }

  /** The bootstrap an {@code xds:} block of ferry.yaml describes, checked when it was read. */
  public static XdsBootstrap of(XdsConfig config) {
    Node node =
        Node.newBuilder()
            .setUserAgentName("ferry")
            .setId(config.nodeId())
            .setCluster(config.nodeCluster())
            .build();
    return new XdsBootstrap(
        config.server(), config.channel() == XdsConfig.Channel.TLS, List.of(), node);
  }

  /** Reads the bootstrap {@code json}; errors name {@code fileName}. */
  public static XdsBootstrap parse(String fileName, String json) {
    JsonObject root;
    try {
      JsonElement e = JsonParser.parseString(json);
      if (!e.isJsonObject()) {
        throw new IllegalArgumentException(fileName + ": expected a JSON object");
      }
      root = e.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(fileName + ": invalid JSON: " + rootCause(e), e);
    }
    JsonArray servers = array(root, "xds_servers", fileName);
    if (servers == null || servers.isEmpty()) {
      throw new IllegalArgumentException(
          fileName + ": xds_servers: missing (expected a list with one control plane)");
    }
    JsonObject server = object(servers.get(0), "xds_servers[0]", fileName);
    String uri = string(server, "server_uri", "xds_servers[0]", fileName);
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException(
          fileName + ": xds_servers[0].server_uri: missing (expected host:port)");
    }
    boolean tls = false;
    JsonArray creds = array(server, "channel_creds", fileName);
    if (creds != null && !creds.isEmpty()) {
      // grpc takes the first type it supports; so does ferry.
      String type = null;
      for (int i = 0; i < creds.size() && type == null; i++) {
        String t =
            string(
                object(creds.get(i), "channel_creds[" + i + "]", fileName), "type", "", fileName);
        type = "insecure".equals(t) || "tls".equals(t) ? t : null;
      }
      if (type == null) {
        throw new IllegalArgumentException(
            fileName
                + ": xds_servers[0].channel_creds: no supported type (expected insecure or tls)");
      }
      tls = type.equals("tls");
    }
    List<String> features = new ArrayList<>();
    JsonArray f = array(server, "server_features", fileName);
    if (f != null) {
      f.forEach(e -> features.add(e.getAsString()));
    }
    Node.Builder node = Node.newBuilder().setUserAgentName("ferry");
    if (root.has("node")) {
      JsonObject n = object(root.get("node"), "node", fileName);
      String id = string(n, "id", "node", fileName);
      node.setId(id == null ? "" : id);
      String cluster = string(n, "cluster", "node", fileName);
      node.setCluster(cluster == null ? "" : cluster);
      if (n.has("metadata")) {
        node.setMetadata(struct(object(n.get("metadata"), "node.metadata", fileName)));
      }
      if (n.has("locality")) {
        JsonObject l = object(n.get("locality"), "node.locality", fileName);
        Locality.Builder loc = Locality.newBuilder();
        String region = string(l, "region", "node.locality", fileName);
        String zone = string(l, "zone", "node.locality", fileName);
        String subZone = string(l, "sub_zone", "node.locality", fileName);
        node.setLocality(
            loc.setRegion(region == null ? "" : region)
                .setZone(zone == null ? "" : zone)
                .setSubZone(subZone == null ? "" : subZone));
      }
    }
    return new XdsBootstrap(uri, tls, List.copyOf(features), node.build());
  }

  private static String rootCause(Throwable e) {
    while (e.getCause() != null) {
      e = e.getCause();
    }
    return e.getMessage();
  }

  private static JsonArray array(JsonObject o, String key, String fileName) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!e.isJsonArray()) {
      throw new IllegalArgumentException(fileName + ": " + key + ": expected a list");
    }
    return e.getAsJsonArray();
  }

  private static JsonObject object(JsonElement e, String where, String fileName) {
    if (e == null || !e.isJsonObject()) {
      throw new IllegalArgumentException(fileName + ": " + where + ": expected an object");
    }
    return e.getAsJsonObject();
  }

  private static String string(JsonObject o, String key, String where, String fileName) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      String path = where.isEmpty() ? key : where + "." + key;
      throw new IllegalArgumentException(fileName + ": " + path + ": expected a string");
    }
    return e.getAsString();
  }

  private static Struct struct(JsonObject o) {
    Struct.Builder s = Struct.newBuilder();
    for (Map.Entry<String, JsonElement> e : o.entrySet()) {
      s.putFields(e.getKey(), value(e.getValue()));
    }
    return s.build();
  }

  private static Value value(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return Value.newBuilder().setNullValueValue(0).build();
    }
    if (e.isJsonObject()) {
      return Value.newBuilder().setStructValue(struct(e.getAsJsonObject())).build();
    }
    if (e.isJsonArray()) {
      com.google.protobuf.ListValue.Builder l = com.google.protobuf.ListValue.newBuilder();
      e.getAsJsonArray().forEach(x -> l.addValues(value(x)));
      return Value.newBuilder().setListValue(l).build();
    }
    if (e.getAsJsonPrimitive().isBoolean()) {
      return Value.newBuilder().setBoolValue(e.getAsBoolean()).build();
    }
    if (e.getAsJsonPrimitive().isNumber()) {
      return Value.newBuilder().setNumberValue(e.getAsDouble()).build();
    }
    return Value.newBuilder().setStringValue(e.getAsString()).build();
  }
}
