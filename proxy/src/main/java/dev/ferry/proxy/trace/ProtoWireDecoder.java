package dev.ferry.proxy.trace;

import dev.ferry.proxy.grpc.ProtoWireReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads protobuf's wire format without a schema, as {@code protoc --decode_raw} does: field
 * numbers, wire types and values, guessing strings and nested messages inside length-delimited
 * fields. Groups (wire types 3 and 4, deprecated) are not read.
 */
final class ProtoWireDecoder {
  private static final int MAX_DEPTH = 8;

  /** One field as it was on the wire. */
  record Field(int number, int wireType, long varint, byte[] bytes) {}

  private ProtoWireDecoder() {}

  /** The fields of {@code message}, or {@code null} when it is not valid protobuf. */
  static List<Field> parse(byte[] message) {
    List<Field> fields = new ArrayList<>();
    ProtoWireReader r = new ProtoWireReader(message);
    try {
      while (r.nextField()) {
        int number = r.fieldNumber();
        int wireType = r.wireType();
        fields.add(
            switch (wireType) {
              case ProtoWireReader.VARINT -> new Field(number, wireType, r.readVarint(), null);
              case ProtoWireReader.FIXED64 -> new Field(number, wireType, r.readFixed64(), null);
              case ProtoWireReader.FIXED32 -> new Field(number, wireType, r.readFixed32(), null);
              default -> new Field(number, wireType, 0, r.readBytes());
            });
      }
    } catch (IllegalArgumentException e) {
      return null;
    }
    return fields;
  }

  /** The message in {@code protoc --decode_raw} style, or {@code null} when it does not parse. */
  static List<String> describe(byte[] message) {
    List<String> lines = new ArrayList<>();
    return describe(message, "", 0, lines) ? lines : null;
  }

  private static boolean describe(byte[] message, String indent, int depth, List<String> out) {
    List<Field> fields = parse(message);
    if (fields == null) {
      return false;
    }
    for (Field f : fields) {
      String head = indent + f.number();
      switch (f.wireType()) {
        case 0 -> out.add(head + ": " + f.varint());
        case 1 -> out.add(head + ": " + String.format("0x%016x", f.varint()) + " (fixed64)");
        case 5 -> out.add(head + ": " + String.format("0x%08x", f.varint()) + " (fixed32)");
        default -> describeLengthDelimited(f, head, indent, depth, out);
      }
    }
    return true;
  }

  private static void describeLengthDelimited(
      Field f, String head, String indent, int depth, List<String> out) {
    String text = printableUtf8(f.bytes());
    if (text != null) {
      out.add(head + ": \"" + text + "\"");
      return;
    }
    if (depth < MAX_DEPTH && f.bytes().length > 0) {
      List<String> nested = new ArrayList<>();
      if (describe(f.bytes(), indent + "  ", depth + 1, nested)) {
        out.add(head + " {");
        out.addAll(nested);
        out.add(indent + "}");
        return;
      }
    }
    out.add(head + ": bytes(" + f.bytes().length + ") " + hex(f.bytes(), 32));
  }

  /** The bytes as text when they are valid UTF-8 without control characters, else null. */
  private static String printableUtf8(byte[] b) {
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(b))
              .toString();
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r' || c == 0x7f) {
          return null;
        }
      }
      return s.replace("\\", "\\\\")
          .replace("\"", "\\\"")
          .replace("\n", "\\n")
          .replace("\t", "\\t")
          .replace("\r", "\\r");
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Up to {@code max} bytes as hex pairs separated by spaces, with an ellipsis when cut. */
  static String hex(byte[] b, int max) {
    StringBuilder s = new StringBuilder();
    int n = Math.min(b.length, max);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        s.append(' ');
      }
      s.append(Character.forDigit((b[i] >> 4) & 0xf, 16))
          .append(Character.forDigit(b[i] & 0xf, 16));
    }
    if (b.length > max) {
      s.append(" …");
    }
    return s.toString();
  }
}
