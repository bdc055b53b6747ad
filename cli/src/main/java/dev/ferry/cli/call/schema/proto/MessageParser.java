package dev.ferry.cli.call.schema.proto;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Parses messages and what they hold (fields, maps, oneofs, groups, nested types, reserved and
 * extension ranges, extend blocks) and shapes them as protoc does: a map becomes a nested {@code
 * XxxEntry} message marked {@code map_entry}, and a proto3 {@code optional} field gets a synthetic
 * oneof named {@code _field}, placed after the real ones.
 */
final class MessageParser {
  private static final Map<String, Type> SCALARS =
      Map.ofEntries(
          Map.entry("double", Type.TYPE_DOUBLE),
          Map.entry("float", Type.TYPE_FLOAT),
          Map.entry("int64", Type.TYPE_INT64),
          Map.entry("uint64", Type.TYPE_UINT64),
          Map.entry("int32", Type.TYPE_INT32),
          Map.entry("fixed64", Type.TYPE_FIXED64),
          Map.entry("fixed32", Type.TYPE_FIXED32),
          Map.entry("bool", Type.TYPE_BOOL),
          Map.entry("string", Type.TYPE_STRING),
          Map.entry("bytes", Type.TYPE_BYTES),
          Map.entry("uint32", Type.TYPE_UINT32),
          Map.entry("sfixed32", Type.TYPE_SFIXED32),
          Map.entry("sfixed64", Type.TYPE_SFIXED64),
          Map.entry("sint32", Type.TYPE_SINT32),
          Map.entry("sint64", Type.TYPE_SINT64));

  private final TokenCursor in;
  private final OptionParser options;
  private final List<TypeReference> references;
  private final boolean proto3;

  MessageParser(
      TokenCursor in, OptionParser options, List<TypeReference> references, boolean proto3) {
    this.in = in;
    this.options = options;
    this.references = references;
    this.proto3 = proto3;
  }

  /** {@code message Name { ... }}; {@code scope} is the enclosing package or message. */
  void message(DescriptorProto.Builder message, String scope) {
    in.expect("message");
    message.setName(in.identifier("a message name").text());
    body(message, qualify(scope, message.getName()));
  }

  /** {@code extend Type { fields }}; {@code add} makes each field in the right place. */
  void extend(Supplier<FieldDescriptorProto.Builder> add, String scope) {
    in.expect("extend");
    Token at = in.peek();
    String extendee = in.dottedName("the extended message", true);
    in.expect("{");
    while (!in.take("}")) {
      if (in.take(";")) {
        continue;
      }
      FieldDescriptorProto.Builder field = add.get();
      references.add(
          new TypeReference(at, extendee, scope, true, (name, kind) -> field.setExtendee(name)));
      field(field, null, scope, false);
    }
  }

  private void body(DescriptorProto.Builder message, String scope) {
    in.expect("{");
    List<FieldDescriptorProto.Builder> proto3Optionals = new ArrayList<>();
    while (!in.take("}")) {
      Token token = in.peek();
      if (in.take(";")) {
        continue;
      }
      // A field's type may start with a dot (absolute name): that goes to the field too.
      boolean startsField = token.kind() == Token.Kind.IDENTIFIER || token.is(".");
      switch (startsField ? token.text() : "") {
        case "message" -> message(message.addNestedTypeBuilder(), scope);
        case "enum" -> ProtoParser.enumType(in, options, message.addEnumTypeBuilder());
        case "extend" -> extend(message::addExtensionBuilder, scope);
        case "reserved" -> {
          in.next();
          Ranges.messageReserved(in, message);
        }
        case "extensions" -> {
          in.next();
          Ranges.extensions(in, message, options);
        }
        case "option" -> {
          in.next();
          options.apply(message.getOptionsBuilder(), options.read());
          in.expect(";");
        }
        case "oneof" -> oneof(message, scope);
        case "" ->
            throw in.error(
                token, "expected a field, message, enum or '}' but found " + token.describe());
        default -> {
          FieldDescriptorProto.Builder field = message.addFieldBuilder();
          field(field, message, scope, false);
          if (field.getProto3Optional()) {
            proto3Optionals.add(field);
          }
        }
      }
    }
    syntheticOneofs(message, proto3Optionals);
  }

  private void oneof(DescriptorProto.Builder message, String scope) {
    in.expect("oneof");
    int index = message.getOneofDeclCount();
    var oneof = message.addOneofDeclBuilder().setName(in.identifier("a oneof name").text());
    in.expect("{");
    while (!in.take("}")) {
      if (in.take(";")) {
        continue;
      }
      if (in.take("option")) {
        options.apply(oneof.getOptionsBuilder(), options.read());
        in.expect(";");
        continue;
      }
      FieldDescriptorProto.Builder field = message.addFieldBuilder().setOneofIndex(index);
      field(field, message, scope, true);
    }
  }

  /**
   * One field (after its label, if any): scalar, named type, map or group. {@code message} is null
   * in an extend block, where maps and groups are not allowed here.
   */
  private void field(
      FieldDescriptorProto.Builder field,
      DescriptorProto.Builder message,
      String scope,
      boolean inOneof) {
    Token start = in.peek();
    Label label = Label.LABEL_OPTIONAL;
    if (!inOneof && (start.is("optional") || start.is("required") || start.is("repeated"))) {
      in.next();
      label = Label.valueOf("LABEL_" + start.text().toUpperCase(java.util.Locale.ROOT));
      if (proto3 && label == Label.LABEL_OPTIONAL) {
        field.setProto3Optional(true);
      }
      if (proto3 && label == Label.LABEL_REQUIRED) {
        throw in.error(start, "required fields are not allowed in proto3");
      }
    }
    field.setLabel(label);
    if (in.peek().is("map") && in.peek(1).is("<") && message != null) {
      if (label != Label.LABEL_OPTIONAL || field.getProto3Optional()) {
        throw in.error(start, "a map field takes no label");
      }
      mapField(field, message, scope);
    } else if (in.peek().is("group") && message != null) {
      group(field, message, scope);
      return;
    } else {
      type(field, scope);
      field.setName(in.identifier("a field name").text());
    }
    in.expect("=");
    field.setNumber(fieldNumber());
    fieldOptions(field);
    in.expect(";");
  }

  private void type(FieldDescriptorProto.Builder field, String scope) {
    Token at = in.peek();
    String name = in.dottedName("a type", true);
    Type scalar = SCALARS.get(name);
    if (scalar != null) {
      field.setType(scalar);
      return;
    }
    field.setTypeName(name);
    references.add(
        new TypeReference(
            at,
            name,
            scope,
            false,
            (resolved, kind) -> {
              field.setTypeName(resolved);
              field.setType(kind == SymbolTable.Kind.ENUM ? Type.TYPE_ENUM : Type.TYPE_MESSAGE);
            }));
  }

  private void mapField(
      FieldDescriptorProto.Builder field, DescriptorProto.Builder message, String scope) {
    in.expect("map");
    in.expect("<");
    Token keyAt = in.peek();
    FieldDescriptorProto.Builder key = FieldDescriptorProto.newBuilder();
    type(key, scope);
    Type keyType = key.getType();
    if (!key.hasType()
        || keyType == Type.TYPE_FLOAT
        || keyType == Type.TYPE_DOUBLE
        || keyType == Type.TYPE_BYTES) {
      throw in.error(keyAt, "a map key must be an integer, bool or string type");
    }
    in.expect(",");
    DescriptorProto.Builder entry = message.addNestedTypeBuilder();
    entry
        .addFieldBuilder()
        .setName("key")
        .setNumber(1)
        .setLabel(Label.LABEL_OPTIONAL)
        .setType(keyType);
    type(
        entry.addFieldBuilder().setName("value").setNumber(2).setLabel(Label.LABEL_OPTIONAL),
        scope);
    in.expect(">");
    field.setName(in.identifier("a field name").text());
    String entryName = mapEntryName(field.getName());
    entry.setName(entryName).getOptionsBuilder().setMapEntry(true);
    // The entry is nested in this message (scope), so its full name is known without lookup.
    field
        .setLabel(Label.LABEL_REPEATED)
        .setType(Type.TYPE_MESSAGE)
        .setTypeName("." + qualify(scope, entryName));
  }

  private void group(
      FieldDescriptorProto.Builder field, DescriptorProto.Builder message, String scope) {
    in.expect("group");
    Token at = in.peek();
    String name = in.identifier("a group name").text();
    if (!Character.isUpperCase(name.charAt(0))) {
      throw in.error(at, "a group's name must start with a capital letter");
    }
    field.setName(name.toLowerCase(java.util.Locale.ROOT)).setType(Type.TYPE_GROUP);
    in.expect("=");
    field.setNumber(fieldNumber());
    fieldOptions(field);
    field.setTypeName("." + qualify(scope, name));
    body(message.addNestedTypeBuilder().setName(name), qualify(scope, name));
  }

  private int fieldNumber() {
    Token at = in.peek();
    int number = in.int32("a field number");
    if (number < 1 || number > Ranges.MAX_FIELD_NUMBER) {
      throw in.error(at, "field number " + number + " is out of range (expected: 1 to 536870911)");
    }
    return number;
  }

  /** {@code [default = ..., json_name = "...", packed = true, (custom) = ...]}. */
  private void fieldOptions(FieldDescriptorProto.Builder field) {
    if (!in.take("[")) {
      return;
    }
    do {
      OptionParser.Option option = options.read();
      if (option.name().equals("default")) {
        field.setDefaultValue(DefaultValues.text(in, field, option.value()));
      } else if (option.name().equals("json_name")) {
        field.setJsonName(option.value().token().text());
      } else {
        options.apply(field.getOptionsBuilder(), option);
      }
    } while (in.take(","));
    in.expect("]");
  }

  /**
   * protoc's synthetic oneofs: one per proto3 optional field, named {@code _field} (with {@code X}
   * prepended until the name is free), after all real oneofs, in field order.
   */
  private static void syntheticOneofs(
      DescriptorProto.Builder message, List<FieldDescriptorProto.Builder> fields) {
    if (fields.isEmpty()) {
      return;
    }
    Set<String> taken = new HashSet<>();
    message.getFieldBuilderList().forEach(f -> taken.add(f.getName()));
    message.getOneofDeclBuilderList().forEach(o -> taken.add(o.getName()));
    for (FieldDescriptorProto.Builder field : fields) {
      String name = "_" + field.getName();
      while (taken.contains(name)) {
        name = "X" + name;
      }
      taken.add(name);
      field.setOneofIndex(message.getOneofDeclCount());
      message.addOneofDeclBuilder().setName(name);
    }
  }

  /** protoc's name for a map's entry type: {@code my_field} → {@code MyFieldEntry}. */
  static String mapEntryName(String fieldName) {
    StringBuilder name = new StringBuilder();
    boolean capitalizeNext = true;
    for (char c : fieldName.toCharArray()) {
      if (c == '_') {
        capitalizeNext = true;
      } else if (capitalizeNext) {
        name.append(c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c);
        capitalizeNext = false;
      } else {
        name.append(c);
      }
    }
    return name.append("Entry").toString();
  }

  static String qualify(String scope, String name) {
    return scope.isEmpty() ? name : scope + "." + name;
  }
}
