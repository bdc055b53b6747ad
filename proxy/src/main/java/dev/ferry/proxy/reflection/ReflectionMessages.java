package dev.ferry.proxy.reflection;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The few fields of grpc.reflection's messages the proxy reads or writes, encoded by hand (the
 * proxy has no protobuf runtime). v1 and v1alpha share one wire format. Everything else passes
 * through as the bytes that came.
 *
 * <pre>
 * ServerReflectionRequest  { string host = 1; oneof { string file_by_filename = 3;
 *   string file_containing_symbol = 4; ExtensionRequest file_containing_extension = 5;
 *   string all_extension_numbers_of_type = 6; string list_services = 7; } }
 * ServerReflectionResponse { string valid_host = 1; ServerReflectionRequest original_request = 2;
 *   oneof { ... ListServiceResponse list_services_response = 6; ErrorResponse error_response = 7; } }
 * ListServiceResponse { repeated ServiceResponse service = 1; }  ServiceResponse { string name = 1; }
 * ErrorResponse { int32 error_code = 1; string error_message = 2; }
 * </pre>
 */
final class ReflectionMessages {
  static final int LIST_SERVICES = 7;
  static final int NOT_FOUND = 5;

  private ReflectionMessages() {}

  /** A request as the proxy needs it: its bytes, host and which question it asks. */
  record Request(byte[] raw, String host, int kind) {}

  /** Parses a ServerReflectionRequest; throws IllegalArgumentException when malformed. */
  static Request parseRequest(byte[] msg) {
    Reader r = new Reader(msg, 0, msg.length);
    String host = "";
    int kind = 0;
    while (r.more()) {
      int tag = (int) r.varint();
      int field = tag >>> 3;
      if (field == 1 && (tag & 7) == 2) {
        host = r.string();
      } else {
        if (field >= 3 && field <= 7) {
          kind = field;
        }
        r.skip(tag & 7);
      }
    }
    return new Request(msg, host, kind);
  }

  /** The service names of a ServerReflectionResponse's list_services_response; empty if none. */
  static List<String> listedServices(byte[] response) {
    List<String> out = new ArrayList<>();
    Reader r = new Reader(response, 0, response.length);
    while (r.more()) {
      int tag = (int) r.varint();
      if (tag >>> 3 == 6 && (tag & 7) == 2) {
        Reader list = r.message();
        while (list.more()) {
          int t = (int) list.varint();
          if (t >>> 3 == 1 && (t & 7) == 2) {
            Reader service = list.message();
            while (service.more()) {
              int st = (int) service.varint();
              if (st >>> 3 == 1 && (st & 7) == 2) {
                out.add(service.string());
              } else {
                service.skip(st & 7);
              }
            }
          } else {
            list.skip(t & 7);
          }
        }
      } else {
        r.skip(tag & 7);
      }
    }
    return out;
  }

  /** The error_code of a response's error_response, or -1 when it has none. */
  static int errorCode(byte[] response) {
    Reader r = new Reader(response, 0, response.length);
    while (r.more()) {
      int tag = (int) r.varint();
      if (tag >>> 3 == 7 && (tag & 7) == 2) {
        Reader err = r.message();
        int code = 0;
        while (err.more()) {
          int t = (int) err.varint();
          if (t >>> 3 == 1 && (t & 7) == 0) {
            code = (int) err.varint();
          } else {
            err.skip(t & 7);
          }
        }
        return code;
      }
      r.skip(tag & 7);
    }
    return -1;
  }

  /** A ServerReflectionResponse listing {@code services} for {@code request}. */
  static byte[] listServicesResponse(Request request, Collection<String> services) {
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    for (String s : services) {
      ByteArrayOutputStream service = new ByteArrayOutputStream();
      bytesField(service, 1, s.getBytes(StandardCharsets.UTF_8));
      bytesField(list, 1, service.toByteArray());
    }
    return response(request, 6, list.toByteArray());
  }

  /** A ServerReflectionResponse carrying an error_response. */
  static byte[] errorResponse(Request request, int code, String message) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    varintField(err, 1, code);
    bytesField(err, 2, message.getBytes(StandardCharsets.UTF_8));
    return response(request, 7, err.toByteArray());
  }

  private static byte[] response(Request request, int field, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    bytesField(out, 1, request.host().getBytes(StandardCharsets.UTF_8));
    bytesField(out, 2, request.raw());
    bytesField(out, field, body);
    return out.toByteArray();
  }

  private static void bytesField(ByteArrayOutputStream out, int field, byte[] value) {
    writeVarint(out, (field << 3) | 2);
    writeVarint(out, value.length);
    out.writeBytes(value);
  }

  private static void varintField(ByteArrayOutputStream out, int field, long value) {
    writeVarint(out, field << 3);
    writeVarint(out, value);
  }

  private static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** Reads protobuf fields from a slice of bytes; malformed input throws. */
  private static final class Reader {
    private final byte[] b;
    private int pos;
    private final int end;

    Reader(byte[] b, int pos, int end) {
      this.b = b;
      this.pos = pos;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new IllegalArgumentException("truncated varint");
        }
        byte x = b[pos++];
        v |= (long) (x & 0x7f) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
      }
      throw new IllegalArgumentException("varint too long");
    }

    Reader message() {
      int len = length();
      Reader r = new Reader(b, pos, pos + len);
      pos += len;
      return r;
    }

    String string() {
      int len = length();
      String s = new String(b, pos, len, StandardCharsets.UTF_8);
      pos += len;
      return s;
    }

    private int length() {
      long len = varint();
      if (len < 0 || len > end - pos) {
        throw new IllegalArgumentException("length " + len + " past the end");
      }
      return (int) len;
    }

    void skip(int wireType) {
      switch (wireType) {
        case 0 -> varint();
        case 1 -> pos += 8;
        case 2 -> {
          int len = length(); // before the +=, which would read pos first
          pos += len;
        }
        case 5 -> pos += 4;
        default -> throw new IllegalArgumentException("wire type " + wireType);
      }
      if (pos > end) {
        throw new IllegalArgumentException("field past the end");
      }
    }
  }
}
