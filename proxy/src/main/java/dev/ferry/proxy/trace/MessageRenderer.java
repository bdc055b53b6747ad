package dev.ferry.proxy.trace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Shows a gRPC message: decompressed per {@code grpc-encoding}, as JSON when the schema is known,
 * as raw protobuf fields otherwise, and as hex.
 */
final class MessageRenderer {
  /** gRPC's default limit on a received message (grpc-java, grpc-go, grpc-core). */
  static final long GRPC_DEFAULT_MAX_INBOUND = 4L * 1024 * 1024;

  private static final int HEX_BYTES = 64;

  private MessageRenderer() {}

  /** The details lines and JSON fields of one message. */
  record Rendered(String headline, List<String> details, Map<String, Object> fields, String json) {}

  static Rendered render(
      GrpcMessageReassembler.Message m,
      int index,
      String encoding,
      String path,
      Direction direction,
      TraceOptions options) {
    List<String> details = new ArrayList<>();
    Map<String, Object> fields = new LinkedHashMap<>();
    StringBuilder headline = new StringBuilder("#" + index + " " + m.length() + " bytes");
    fields.put("index", index);
    fields.put("length", m.length());
    fields.put("compressed", m.compressed());
    byte[] plain = m.kept();
    boolean whole = !m.truncated();
    if (m.compressed()) {
      headline.append(", compressed (").append(encoding == null ? "no grpc-encoding!" : encoding);
      fields.put("encoding", encoding);
      if (!whole) {
        plain = null;
        headline.append(", not decompressed: only the first ").append(m.kept().length);
        headline.append(" bytes were kept)");
      } else {
        try {
          plain = decompress(encoding, m.kept(), options.maxMessageBytes());
          headline.append(", ").append(plain.length).append(" bytes decompressed)");
          fields.put("decompressed_length", plain.length);
        } catch (IOException e) {
          plain = null;
          headline.append(", not decompressed: ").append(e.getMessage()).append(')');
        }
      }
    }
    if (!whole) {
      headline.append(", first ").append(m.kept().length).append(" bytes shown");
    }
    String json = null;
    if (plain != null) {
      if (whole) {
        json = toJson(options.decoder(), path, direction, plain);
      }
      if (json != null) {
        details.add("json: " + json);
        fields.put("json", new JsonText.Raw(json));
      }
      List<String> raw = ProtoWireDecoder.describe(plain);
      if (raw != null && json == null) {
        details.addAll(raw);
        fields.put("raw", raw);
      } else if (raw == null && plain.length > 0) {
        details.add(whole ? "(not protobuf)" : "(cut short: raw fields not decoded)");
      }
      String hex = ProtoWireDecoder.hex(plain, HEX_BYTES);
      details.add("hex: " + hex);
      fields.put("hex", hex);
    }
    return new Rendered(headline.toString(), details, fields, json);
  }

  /** A decoder that fails costs the JSON of one message, never the trace of the connection. */
  private static String toJson(
      MessageDecoder decoder, String path, Direction direction, byte[] message) {
    try {
      return decoder.toJson(path, direction, message);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Inflates at most {@code max} bytes, so that a small compressed message cannot fill memory. */
  static byte[] decompress(String encoding, byte[] compressed, int max) throws IOException {
    InputStream in;
    if ("gzip".equals(encoding)) {
      in = new GZIPInputStream(new java.io.ByteArrayInputStream(compressed));
    } else if ("deflate".equals(encoding)) {
      in = new InflaterInputStream(new java.io.ByteArrayInputStream(compressed));
    } else {
      throw new IOException("grpc-encoding '" + encoding + "' is not gzip or deflate");
    }
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (out.size() + n > max) {
          throw new IOException("over " + max + " bytes decompressed");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }
}
