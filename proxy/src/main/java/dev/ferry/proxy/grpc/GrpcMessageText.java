package dev.ferry.proxy.grpc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The text of a {@code grpc-message} as a person reads it. */
public final class GrpcMessageText {
  private GrpcMessageText() {}

  /**
   * {@code grpc-message} is percent-encoded UTF-8 (gRPC's PROTOCOL-HTTP2.md); an invalid escape is
   * kept as it is, as grpc-java does.
   */
  public static String decode(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] in = value.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '%' && i + 2 < in.length) {
        int hi = Character.digit(in[i + 1], 16);
        int lo = Character.digit(in[i + 2], 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi * 16 + lo);
          i += 2;
          continue;
        }
      }
      out.write(in[i]);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
