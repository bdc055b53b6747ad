package dev.ferry.proxy.healthcheck;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * grpc.health.v1's two tiny messages, encoded and decoded by hand: the proxy has no protobuf
 * runtime, and {@code HealthCheckRequest { string service = 1; }} and {@code HealthCheckResponse {
 * ServingStatus status = 1; }} are a few bytes each.
 */
final class GrpcHealthMessages {
  /** ServingStatus.SERVING. */
  static final int SERVING = 1;

  /** The answer could not be read as a HealthCheckResponse. */
  static final int MALFORMED = -1;

  private GrpcHealthMessages() {}

  /** A whole gRPC message frame (uncompressed) holding HealthCheckRequest{service}. */
  static ByteBuf request(ByteBufAllocator alloc, String service) {
    byte[] name = service.getBytes(StandardCharsets.UTF_8);
    int body = name.length == 0 ? 0 : 1 + varintSize(name.length) + name.length;
    ByteBuf buf = alloc.buffer(5 + body);
    buf.writeByte(0).writeInt(body);
    if (name.length > 0) {
      buf.writeByte(0x0A); // field 1, wire type 2 (length-delimited)
      writeVarint(buf, name.length);
      buf.writeBytes(name);
    }
    return buf;
  }

  /**
   * The status in a response body holding one gRPC frame ({@code bytes[0..length)}): 0 UNKNOWN, 1
   * SERVING, 2 NOT_SERVING, 3 SERVICE_UNKNOWN, or {@link #MALFORMED}.
   */
  static int status(byte[] bytes, int length) {
    if (length < 5 || bytes[0] != 0) {
      return MALFORMED; // compressed or truncated: ferry never asks for compression
    }
    int size =
        ((bytes[1] & 0xff) << 24)
            | ((bytes[2] & 0xff) << 16)
            | ((bytes[3] & 0xff) << 8)
            | (bytes[4] & 0xff);
    if (size < 0 || 5 + size > length) {
      return MALFORMED;
    }
    int status = 0; // proto3: an absent field is its default, UNKNOWN
    int[] pos = {5};
    int end = 5 + size;
    while (pos[0] < end) {
      long tag = readVarint(bytes, pos, end);
      if (tag < 0) {
        return MALFORMED;
      }
      int field = (int) (tag >>> 3);
      int type = (int) (tag & 7);
      if (type == 0) {
        long v = readVarint(bytes, pos, end);
        if (v < 0) {
          return MALFORMED;
        }
        if (field == 1) {
          status = (int) v;
        }
      } else if (type == 2) {
        long len = readVarint(bytes, pos, end);
        if (len < 0 || pos[0] + len > end) {
          return MALFORMED;
        }
        pos[0] += (int) len;
      } else if (type == 5) {
        pos[0] += 4;
      } else if (type == 1) {
        pos[0] += 8;
      } else {
        return MALFORMED;
      }
    }
    return pos[0] == end ? status : MALFORMED;
  }

  private static long readVarint(byte[] b, int[] pos, int end) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos[0] >= end) {
        return -1;
      }
      byte x = b[pos[0]++];
      v |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        return v;
      }
    }
    return -1;
  }

  private static int varintSize(int v) {
    int n = 1;
    while ((v & ~0x7f) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  private static void writeVarint(ByteBuf buf, int v) {
    while ((v & ~0x7f) != 0) {
      buf.writeByte((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    buf.writeByte(v);
  }
}
