package dev.ferry.cli.call.schema.proto;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;

/**
 * The {@code reserved} and {@code extensions} statements: numbers and ranges ({@code 9 to 11},
 * {@code 100 to max}) or quoted names. Message ranges are stored end-exclusive and enum ranges
 * end-inclusive, as descriptor.proto defines them.
 */
final class Ranges {
  /** The largest field number: 2^29 - 1. */
  static final int MAX_FIELD_NUMBER = 536_870_911;

  private Ranges() {}

  /** After {@code reserved} in a message. */
  static void messageReserved(TokenCursor in, DescriptorProto.Builder message) {
    if (in.peek().kind() == Token.Kind.STRING) {
      do {
        message.addReservedName(in.string("a reserved name"));
      } while (in.take(","));
    } else {
      do {
        int[] range = range(in, MAX_FIELD_NUMBER);
        message.addReservedRangeBuilder().setStart(range[0]).setEnd(range[1] + 1);
      } while (in.take(","));
    }
    in.expect(";");
  }

  /** After {@code extensions} in a message. */
  static void extensions(TokenCursor in, DescriptorProto.Builder message, OptionParser options) {
    int first = message.getExtensionRangeCount();
    do {
      int[] range = range(in, MAX_FIELD_NUMBER);
      message.addExtensionRangeBuilder().setStart(range[0]).setEnd(range[1] + 1);
    } while (in.take(","));
    if (in.take("[")) {
      do {
        OptionParser.Option option = options.read();
        for (int i = first; i < message.getExtensionRangeCount(); i++) {
          options.apply(message.getExtensionRangeBuilder(i).getOptionsBuilder(), option);
        }
      } while (in.take(","));
      in.expect("]");
    }
    in.expect(";");
  }

  /** After {@code reserved} in an enum. */
  static void enumReserved(TokenCursor in, EnumDescriptorProto.Builder e) {
    if (in.peek().kind() == Token.Kind.STRING) {
      do {
        e.addReservedName(in.string("a reserved name"));
      } while (in.take(","));
    } else {
      do {
        int[] range = range(in, Integer.MAX_VALUE);
        e.addReservedRangeBuilder().setStart(range[0]).setEnd(range[1]);
      } while (in.take(","));
    }
    in.expect(";");
  }

  /** {@code N} or {@code N to M} or {@code N to max}, both ends inclusive. */
  private static int[] range(TokenCursor in, int max) {
    Token at = in.peek();
    int start = in.int32("a number");
    int end = start;
    if (in.take("to")) {
      end = in.take("max") ? max : in.int32("a number");
    }
    if (end < start) {
      throw in.error(at, "range " + start + " to " + end + " ends before it starts");
    }
    return new int[] {start, end};
  }
}
