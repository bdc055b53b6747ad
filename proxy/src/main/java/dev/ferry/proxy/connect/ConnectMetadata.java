package dev.ferry.proxy.connect;

import com.google.gson.JsonArray;
import dev.ferry.proxy.grpc.GrpcMessageText;
import dev.ferry.proxy.status.GrpcCode;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A gRPC header block read the Connect way: the status it carries ({@code grpc-status}, the decoded
 * {@code grpc-message} and {@code grpc-status-details-bin}), and the rest as metadata, which
 * Connect sends as headers, as {@code trailer-}-prefixed headers of a unary answer, or in the
 * end-of-stream JSON.
 */
final class ConnectMetadata {
  // gRPC's own framing and status headers, which Connect says in its own way or not at all.
  private static final Set<String> GRPC_ONLY =
      Set.of(
          "content-type",
          "content-length",
          "te",
          "grpc-status",
          "grpc-message",
          "grpc-status-details-bin",
          "grpc-encoding",
          "grpc-accept-encoding");

  private ConnectMetadata() {}

  /**
   * The status that ends a call with {@code block}, the trailers (or a Trailers-Only answer). A
   * block without {@code grpc-status} gets the code a gRPC client would see for its HTTP status.
   */
  static ConnectStatus status(Http2Headers block) {
    CharSequence s = block.get("grpc-status");
    CharSequence m = block.get("grpc-message");
    String message = m == null ? "" : GrpcMessageText.decode(m.toString());
    if (s == null) {
      CharSequence http = block.status();
      int httpStatus = http == null ? 0 : parseStatus(http);
      return ConnectStatus.of(
          GrpcCode.forHttpStatus(httpStatus),
          "the backend ended the call without grpc-status (HTTP " + http + ")");
    }
    GrpcCode code = GrpcCode.parse(s.toString());
    return new ConnectStatus(
        code == null ? GrpcCode.UNKNOWN : code,
        message,
        ConnectStatus.detailsOf(block.get("grpc-status-details-bin")));
  }

  private static int parseStatus(CharSequence http) {
    try {
      return Integer.parseInt(http.toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Adds {@code from}'s metadata to {@code to}, each name behind {@code prefix}. */
  static void copy(Http2Headers from, Http2Headers to, String prefix) {
    for (Map.Entry<CharSequence, CharSequence> e : from) {
      String name = e.getKey().toString();
      if (isMetadata(name)) {
        to.add(prefix.isEmpty() ? name : prefix + name, e.getValue());
      }
    }
  }

  /** {@code block}'s metadata as the end-of-stream JSON's {@code metadata}: name to values. */
  static Map<String, JsonArray> json(Http2Headers block) {
    Map<String, JsonArray> out = new LinkedHashMap<>();
    for (Map.Entry<CharSequence, CharSequence> e : block) {
      String name = e.getKey().toString();
      if (isMetadata(name)) {
        out.computeIfAbsent(name, n -> new JsonArray()).add(e.getValue().toString());
      }
    }
    return out;
  }

  private static boolean isMetadata(String name) {
    return !name.startsWith(":") && !GRPC_ONLY.contains(name);
  }
}
