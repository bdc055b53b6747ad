package dev.ferry.cli.call.schema.proto;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.DescriptorProtos.UninterpretedOption;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import java.nio.charset.StandardCharsets;

/**
 * Parses {@code name = value} of an option statement or a {@code [...]} list and sets it on an
 * options message. Built-in options (java_package, deprecated, packed, allow_alias, ...) are set as
 * protoc sets them; custom options, {@code (my.option)}, are kept as uninterpreted options, since
 * interpreting them needs the extension's definition, which ferry's calls never use; but {@code
 * (google.api.http)}, whose definition ships with gRPC, is interpreted as protoc does.
 */
final class OptionParser {
  private final TokenCursor in;

  OptionParser(TokenCursor in) {
    this.in = in;
  }

  /** A parsed option: its name parts, and its value as a constant token or an aggregate text. */
  record Option(Token at, String name, boolean custom, Value value) {}

  /** An option value: {@code token} (with {@code negative} for a leading minus), or aggregate. */
  record Value(Token token, boolean negative, String aggregate) {}

  /** Reads {@code name = value} (the caller handles {@code option} and {@code ;}). */
  Option read() {
    Token at = in.peek();
    StringBuilder name = new StringBuilder();
    boolean custom = false;
    do {
      if (in.take("(")) {
        custom = true;
        name.append('(').append(in.dottedName("an option name", true)).append(')');
        in.expect(")");
      } else {
        name.append(in.identifier("an option name").text());
      }
    } while (in.take(".") && name.append('.') != null);
    in.expect("=");
    return new Option(at, name.toString(), custom || name.indexOf(".") >= 0, value());
  }

  private Value value() {
    if (in.peek().is("{")) {
      return new Value(in.peek(), false, aggregate());
    }
    boolean negative = in.take("-");
    Token token = in.peek();
    if (token.kind() == Token.Kind.STRING) {
      String text = in.string("a value");
      return new Value(
          new Token(Token.Kind.STRING, text, token.line(), token.column()), false, null);
    }
    if (token.kind() == Token.Kind.SYMBOL || token.kind() == Token.Kind.END) {
      throw in.error(token, "expected an option value but found " + token.describe());
    }
    return new Value(in.next(), negative, null);
  }

  /** The text of a {@code {...}} message literal, kept as protoc keeps it for an extension. */
  private String aggregate() {
    in.expect("{");
    StringBuilder text = new StringBuilder();
    int depth = 1;
    while (true) {
      Token token = in.next();
      if (token.kind() == Token.Kind.END) {
        throw in.error(token, "option value starting with '{' is never closed");
      }
      if (token.is("{") || token.is("<")) {
        depth++;
      } else if (token.is("}") || token.is(">")) {
        if (--depth == 0) {
          return text.toString().trim();
        }
      }
      if (!text.isEmpty()) {
        text.append(' ');
      }
      text.append(token.kind() == Token.Kind.STRING ? quote(token.text()) : token.text());
    }
  }

  /** Sets {@code option} on {@code options} (a FileOptions.Builder, FieldOptions.Builder, ...). */
  void apply(Message.Builder options, Option option) {
    if (options instanceof MethodOptions.Builder method && isHttpRule(option)) {
      // google.api.http is the one custom option ferry reads (HTTP/JSON transcoding), and its
      // definition ships with gRPC: interpreted, as protoc does, so the file equals protoc's.
      method.setExtension(AnnotationsProto.http, httpRule(option));
      return;
    }
    if (option.custom()) {
      FieldDescriptor uninterpreted =
          options.getDescriptorForType().findFieldByName("uninterpreted_option");
      options.addRepeatedField(uninterpreted, uninterpreted(option));
      return;
    }
    FieldDescriptor field = options.getDescriptorForType().findFieldByName(option.name());
    if (field == null || field.getName().equals("uninterpreted_option")) {
      throw in.error(
          option.at(),
          "unknown option '"
              + option.name()
              + "' for "
              + options.getDescriptorForType().getName()
              + " (custom options are written in parentheses: (my.option))");
    }
    Object value =
        field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
            ? message(options, field, option)
            : convert(field, option);
    // A repeated option (descriptor.proto's own "targets") is written once per value.
    if (field.isRepeated()) {
      options.addRepeatedField(field, value);
    } else {
      options.setField(field, value);
    }
  }

  private static boolean isHttpRule(Option option) {
    return option.name().equals("(google.api.http)") || option.name().equals("(.google.api.http)");
  }

  private HttpRule httpRule(Option option) {
    if (option.value().aggregate() == null) {
      throw in.error(option.value().token(), option.name() + " takes a message: { ... }");
    }
    HttpRule.Builder rule = HttpRule.newBuilder();
    try {
      TextFormat.merge(option.value().aggregate(), rule);
    } catch (TextFormat.ParseException e) {
      throw in.error(option.value().token(), option.name() + ": " + e.getMessage());
    }
    return rule.build();
  }

  /** A message-valued option, {@code name = { key: value ... }}, read as text format. */
  private Message message(Message.Builder options, FieldDescriptor field, Option option) {
    if (option.value().aggregate() == null) {
      throw in.error(option.value().token(), option.name() + " takes a message: { ... }");
    }
    Message.Builder value = options.newBuilderForField(field);
    try {
      TextFormat.merge(option.value().aggregate(), value);
    } catch (TextFormat.ParseException e) {
      throw in.error(option.value().token(), option.name() + ": " + e.getMessage());
    }
    return value.build();
  }

  private Object convert(FieldDescriptor field, Option option) {
    Value value = option.value();
    Token token = value.token();
    String wanted = option.name() + " takes ";
    switch (field.getJavaType()) {
      case BOOLEAN -> {
        if (token.kind() != Token.Kind.IDENTIFIER
            || !(token.text().equals("true") || token.text().equals("false"))) {
          throw in.error(token, wanted + "true or false, not " + token.describe());
        }
        return Boolean.parseBoolean(token.text());
      }
      case STRING -> {
        requireKind(token, Token.Kind.STRING, wanted + "a string");
        return token.text();
      }
      case BYTE_STRING -> {
        requireKind(token, Token.Kind.STRING, wanted + "a string");
        return ByteString.copyFrom(token.text(), StandardCharsets.UTF_8);
      }
      case ENUM -> {
        EnumValueDescriptor v =
            token.kind() == Token.Kind.IDENTIFIER
                ? field.getEnumType().findValueByName(token.text())
                : null;
        if (v == null) {
          throw in.error(
              token,
              wanted + "one of " + field.getEnumType().getValues() + ", not " + token.describe());
        }
        return v;
      }
      case INT, LONG -> {
        requireKind(token, Token.Kind.INTEGER, wanted + "an integer");
        long n = in.parseInteger(token);
        n = value.negative() ? -n : n;
        return field.getJavaType() == FieldDescriptor.JavaType.INT ? (Object) (int) n : n;
      }
      case FLOAT, DOUBLE -> {
        double d = number(token) * (value.negative() ? -1 : 1);
        return field.getJavaType() == FieldDescriptor.JavaType.FLOAT ? (Object) (float) d : d;
      }
      default ->
          throw in.error(
              option.at(), "option '" + option.name() + "' takes a message: not supported here");
    }
  }

  private double number(Token token) {
    if (token.is("inf")) {
      return Double.POSITIVE_INFINITY;
    }
    if (token.is("nan")) {
      return Double.NaN;
    }
    if (token.kind() == Token.Kind.INTEGER) {
      return in.parseInteger(token);
    }
    requireKind(token, Token.Kind.FLOAT, "expected a number");
    return Double.parseDouble(token.text());
  }

  private void requireKind(Token token, Token.Kind kind, String expectation) {
    if (token.kind() != kind) {
      throw in.error(token, expectation + ", not " + token.describe());
    }
  }

  private static UninterpretedOption uninterpreted(Option option) {
    UninterpretedOption.Builder u = UninterpretedOption.newBuilder();
    for (String part : splitName(option.name())) {
      boolean extension = part.startsWith("(");
      u.addNameBuilder()
          .setNamePart(extension ? part.substring(1, part.length() - 1) : part)
          .setIsExtension(extension);
    }
    Value value = option.value();
    Token token = value.token();
    if (value.aggregate() != null) {
      return u.setAggregateValue(value.aggregate()).build();
    }
    switch (token.kind()) {
      case IDENTIFIER -> u.setIdentifierValue((value.negative() ? "-" : "") + token.text());
      case STRING -> u.setStringValue(ByteString.copyFrom(token.text(), StandardCharsets.UTF_8));
      case FLOAT ->
          u.setDoubleValue(Double.parseDouble(token.text()) * (value.negative() ? -1 : 1));
      default -> {
        long n =
            Long.parseUnsignedLong(
                token.text().replaceFirst("^0[xX]", ""), token.text().matches("0[xX].*") ? 16 : 10);
        if (value.negative()) {
          u.setNegativeIntValue(-n);
        } else {
          u.setPositiveIntValue(n);
        }
      }
    }
    return u.build();
  }

  /** Splits {@code (a.b).c.d} into {@code (a.b)}, {@code c}, {@code d}. */
  private static java.util.List<String> splitName(String name) {
    java.util.List<String> parts = new java.util.ArrayList<>();
    int i = 0;
    while (i < name.length()) {
      int end;
      if (name.charAt(i) == '(') {
        end = name.indexOf(')', i) + 1;
      } else {
        end = name.indexOf('.', i);
        end = end < 0 ? name.length() : end;
      }
      parts.add(name.substring(i, end));
      i = end + 1;
    }
    return parts;
  }

  private static String quote(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
