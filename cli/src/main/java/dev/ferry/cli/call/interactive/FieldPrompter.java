package dev.ferry.cli.call.interactive;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import java.io.PrintWriter;
import java.util.Base64;
import java.util.function.Function;

/**
 * Builds a request by asking for it field by field, as evans does: an empty answer leaves a field
 * out or ends a repeated one; nested messages are asked for field by field too.
 */
final class FieldPrompter {
  /**
   * Deep enough for real requests; stops a recursive type (google.protobuf.Struct) asking forever.
   */
  private static final int MAX_DEPTH = 8;

  private final Function<String, String> ask;
  private final PrintWriter out;

  /** {@code ask} shows a prompt and returns the line typed, or null at the end of input. */
  FieldPrompter(Function<String, String> ask, PrintWriter out) {
    this.ask = ask;
    this.out = out;
  }

  DynamicMessage prompt(Descriptor type) {
    return message(type, "", 0);
  }

  private DynamicMessage message(Descriptor type, String path, int depth) {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    for (FieldDescriptor field : type.getFields()) {
      var oneof = field.getRealContainingOneof();
      if (oneof != null && builder.hasOneof(oneof)) {
        continue; // one member of the oneof already answered
      }
      String name = path + field.getName();
      if (field.isRepeated()) {
        for (int i = 0; ; i++) {
          Object value = value(field, name + "[" + i + "]", depth, true);
          if (value == null) {
            break;
          }
          builder.addRepeatedField(field, value);
        }
      } else {
        Object value = value(field, name, depth, false);
        if (value != null) {
          builder.setField(field, value);
        }
      }
    }
    return builder.build();
  }

  private Object value(FieldDescriptor field, String label, int depth, boolean repeated) {
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      if (depth >= MAX_DEPTH || (repeated && !yes(ask.apply(label + " add? (y/N)> ")))) {
        return null;
      }
      DynamicMessage nested = message(field.getMessageType(), label + ".", depth + 1);
      return repeated || !nested.getAllFields().isEmpty() ? nested : null;
    }
    while (true) {
      String line = ask.apply(label + " (" + typeName(field) + ")> ");
      if (line == null || line.isEmpty()) {
        return null;
      }
      try {
        return parse(field, line);
      } catch (IllegalArgumentException e) {
        out.println("  not a " + typeName(field) + ": " + line + " (" + e.getMessage() + ")");
        out.flush();
      }
    }
  }

  private static Object parse(FieldDescriptor field, String text) {
    return switch (field.getJavaType()) {
      case STRING -> text;
      case BYTE_STRING -> ByteString.copyFrom(Base64.getDecoder().decode(text));
      case BOOLEAN -> {
        if (!text.equals("true") && !text.equals("false")) {
          throw new IllegalArgumentException("true or false");
        }
        yield Boolean.parseBoolean(text);
      }
      case INT -> Integer.parseInt(text);
      case LONG -> Long.parseLong(text);
      case FLOAT -> Float.parseFloat(text);
      case DOUBLE -> Double.parseDouble(text);
      case ENUM -> enumValue(field, text);
      case MESSAGE -> throw new IllegalStateException("messages are asked field by field");
    };
  }

  private static EnumValueDescriptor enumValue(FieldDescriptor field, String text) {
    EnumValueDescriptor v = field.getEnumType().findValueByName(text);
    if (v == null && text.matches("-?\\d+")) {
      v = field.getEnumType().findValueByNumber(Integer.parseInt(text));
    }
    if (v == null) {
      throw new IllegalArgumentException("one of " + field.getEnumType().getValues());
    }
    return v;
  }

  private static String typeName(FieldDescriptor field) {
    return switch (field.getJavaType()) {
      case ENUM -> field.getEnumType().getName();
      case BYTE_STRING -> "bytes, base64";
      default -> field.getType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static boolean yes(String answer) {
    return answer != null && (answer.equalsIgnoreCase("y") || answer.equalsIgnoreCase("yes"));
  }
}
