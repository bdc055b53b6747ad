package dev.ferry.cli.call.schema.proto;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.TextFormat;
import java.nio.charset.StandardCharsets;

/**
 * The text of a proto2 {@code [default = ...]} as descriptor.proto stores it: numbers in decimal,
 * {@code inf}/{@code nan}, enum value names, strings as they are, bytes C-escaped.
 */
final class DefaultValues {
  private DefaultValues() {}

  static String text(TokenCursor in, FieldDescriptorProto.Builder field, OptionParser.Value value) {
    Token token = value.token();
    if (value.aggregate() != null) {
      throw in.error(token, "a default value cannot be a message");
    }
    String sign = value.negative() ? "-" : "";
    // A named type is not resolved yet: an identifier default means an enum value.
    if (!field.hasType()) {
      if (token.kind() != Token.Kind.IDENTIFIER || value.negative()) {
        throw in.error(token, "the default of an enum field is one of its value names");
      }
      return token.text();
    }
    Type type = field.getType();
    return switch (type) {
      case TYPE_STRING -> string(in, token);
      case TYPE_BYTES ->
          TextFormat.escapeBytes(ByteString.copyFrom(string(in, token), StandardCharsets.UTF_8));
      case TYPE_BOOL -> {
        if (!token.is("true") && !token.is("false")) {
          throw in.error(token, "the default of a bool field is true or false");
        }
        yield token.text();
      }
      case TYPE_FLOAT, TYPE_DOUBLE -> {
        if (token.is("inf") || token.is("nan")) {
          yield sign + token.text();
        }
        if (token.kind() != Token.Kind.INTEGER && token.kind() != Token.Kind.FLOAT) {
          throw in.error(token, "the default of a " + name(type) + " field is a number");
        }
        yield sign + token.text();
      }
      case TYPE_GROUP, TYPE_MESSAGE -> throw in.error(token, "a message field has no default");
      default -> {
        if (token.kind() != Token.Kind.INTEGER) {
          throw in.error(token, "the default of a " + name(type) + " field is an integer");
        }
        yield sign + Long.toUnsignedString(in.parseInteger(token));
      }
    };
  }

  private static String string(TokenCursor in, Token token) {
    if (token.kind() != Token.Kind.STRING) {
      throw in.error(token, "the default of a string or bytes field is a quoted string");
    }
    return token.text();
  }

  private static String name(Type type) {
    return type.name().substring("TYPE_".length()).toLowerCase(java.util.Locale.ROOT);
  }
}
