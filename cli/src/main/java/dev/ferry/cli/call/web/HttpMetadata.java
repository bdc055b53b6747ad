package dev.ferry.cli.call.web;

import io.grpc.Metadata;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaders;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Between HTTP/1.1 headers and gRPC metadata, the way the web protocols carry metadata. */
final class HttpMetadata {
  /** HTTP's own headers, which are not the call's metadata. */
  private static final Set<String> HTTP_ONLY =
      Set.of("content-length", "transfer-encoding", "connection", "keep-alive", "date", "vary");

  private HttpMetadata() {}

  /**
   * The entries of {@code headers} whose lower-case name starts with {@code prefix}, that prefix
   * removed ("trailer-" for Connect's unary trailers; "" for all), -bin values base64-decoded.
   * Names gRPC does not allow are left out.
   */
  static Metadata from(HttpHeaders headers, String prefix, String exceptPrefix) {
    Metadata m = new Metadata();
    for (Map.Entry<String, String> h : headers) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (!name.startsWith(prefix)
          || (exceptPrefix != null && name.startsWith(exceptPrefix))
          || HTTP_ONLY.contains(name)) {
        continue;
      }
      put(m, name.substring(prefix.length()), h.getValue());
    }
    return m;
  }

  /**
   * Adds {@code name: value} to {@code m}, base64-decoding a -bin value; skips what gRPC refuses.
   */
  static void put(Metadata m, String name, String value) {
    try {
      if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        m.put(
            Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER),
            Base64.getDecoder().decode(value.trim()));
      } else {
        m.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
      }
    } catch (IllegalArgumentException e) {
      // A name gRPC metadata cannot hold (or a -bin value that is not base64): not the call's.
    }
  }

  /** {@code m} as HTTP headers: -bin values base64-encoded, as gRPC-Web and Connect send them. */
  static void addTo(HttpHeaders headers, Metadata m) {
    for (String name : m.keys()) {
      if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        for (byte[] v : m.getAll(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER))) {
          headers.add(name, Base64.getEncoder().encodeToString(v));
        }
      } else {
        for (String v : m.getAll(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER))) {
          headers.add(name, v);
        }
      }
    }
  }
}
