package dev.ferry.proxy.connect;

import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.ProxyStatus;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The query of a Connect GET, which carries a unary call of a side-effect-free method: {@code
 * message} (URL-encoded, or URL-safe base64 with {@code base64=1}), {@code encoding} (json or
 * proto), {@code compression} and {@code connect} (the protocol version, v1).
 *
 * @param codec the message's codec, or null when the query names none
 * @param message the message's bytes, or null when the query has none
 * @param refusal why the bridge refuses the query, or null
 */
record ConnectGetQuery(ConnectCodec codec, byte[] message, ProxyStatus refusal) {
  /** Whether {@code path} carries Connect's GET query: {@code encoding} and {@code message}. */
  static boolean isConnect(CharSequence path) {
    if (path == null) {
      return false;
    }
    String p = path.toString();
    int q = p.indexOf('?');
    return q > 0 && hasParam(p, q, "encoding=") && hasParam(p, q, "message=");
  }

  private static boolean hasParam(String p, int q, String nameIs) {
    for (int i = p.indexOf(nameIs, q); i > 0; i = p.indexOf(nameIs, i + 1)) {
      char before = p.charAt(i - 1);
      if (before == '?' || before == '&') {
        return true;
      }
    }
    return false;
  }

  /** Reads the query of {@code path}. */
  static ConnectGetQuery parse(String path) {
    String encoding = null;
    String message = null;
    boolean base64 = false;
    String compression = null;
    String connect = null;
    try {
      for (String pair : path.substring(path.indexOf('?') + 1).split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        switch (name) {
          case "encoding" -> encoding = value;
          case "message" -> message = value;
          case "base64" -> base64 = value.equals("1");
          case "compression" -> compression = value;
          case "connect" -> connect = value;
          default -> {} // a cache buster or the like: Connect ignores it too
        }
      }
    } catch (IllegalArgumentException e) {
      return refused("the query is not URL-encoded: " + e.getMessage(), GrpcCode.INVALID_ARGUMENT);
    }
    ConnectCodec codec = encoding == null ? null : ConnectCodec.named(encoding);
    if (codec == null) {
      return refused(
          "encoding=" + encoding + " (expected: json or proto)", GrpcCode.INVALID_ARGUMENT);
    }
    if (connect != null && !connect.equals("v1")) {
      return refused("connect=" + connect + " (expected: v1)", GrpcCode.INVALID_ARGUMENT);
    }
    if (compression != null && !compression.isEmpty() && !compression.equals("identity")) {
      return refused(
          "compression="
              + compression
              + "; ferry's Connect bridge takes uncompressed requests only",
          GrpcCode.UNIMPLEMENTED);
    }
    byte[] bytes;
    try {
      bytes =
          base64
              ? Base64.getUrlDecoder().decode(message)
              : message.getBytes(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return refused(
          "message is not URL-safe base64: " + e.getMessage(), GrpcCode.INVALID_ARGUMENT);
    }
    return new ConnectGetQuery(codec, bytes, null);
  }

  private static ConnectGetQuery refused(String what, GrpcCode code) {
    return new ConnectGetQuery(null, null, ConnectRequest.invalid(what, code));
  }
}
