package dev.ferry.cli.call.schema.proto;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import java.util.HashMap;
import java.util.Map;

/** Every fully qualified name a file can see (its own and its imports'), with what it names. */
final class SymbolTable {

  /** What a name stands for; name lookup treats types and the scopes holding them differently. */
  enum Kind {
    PACKAGE,
    MESSAGE,
    ENUM,
    SERVICE,
    /** A field, enum value, method or oneof: a name that is neither a type nor a scope. */
    MEMBER;

    boolean isType() {
      return this == MESSAGE || this == ENUM;
    }

    /** Can hold names: a lookup of {@code a.b} that finds {@code a} as this looks inside it. */
    boolean isScope() {
      return this != MEMBER;
    }
  }

  private final Map<String, Kind> symbols = new HashMap<>();

  void addFile(FileDescriptorProto file) {
    String pkg = file.getPackage();
    if (!pkg.isEmpty()) {
      String[] parts = pkg.split("\\.");
      StringBuilder prefix = new StringBuilder();
      for (String part : parts) {
        prefix.append(prefix.isEmpty() ? "" : ".").append(part);
        symbols.putIfAbsent(prefix.toString(), Kind.PACKAGE);
      }
    }
    file.getMessageTypeList().forEach(m -> addMessage(pkg, m));
    file.getEnumTypeList().forEach(e -> addEnum(pkg, e));
    file.getExtensionList().forEach(f -> symbols.put(qualify(pkg, f.getName()), Kind.MEMBER));
    file.getServiceList()
        .forEach(
            s -> {
              String name = qualify(pkg, s.getName());
              symbols.put(name, Kind.SERVICE);
              s.getMethodList().forEach(m -> symbols.put(qualify(name, m.getName()), Kind.MEMBER));
            });
  }

  private void addMessage(String scope, DescriptorProto message) {
    String name = qualify(scope, message.getName());
    symbols.put(name, Kind.MESSAGE);
    message.getFieldList().forEach(f -> symbols.put(qualify(name, f.getName()), Kind.MEMBER));
    message.getExtensionList().forEach(f -> symbols.put(qualify(name, f.getName()), Kind.MEMBER));
    message.getOneofDeclList().forEach(o -> symbols.put(qualify(name, o.getName()), Kind.MEMBER));
    message.getNestedTypeList().forEach(m -> addMessage(name, m));
    message.getEnumTypeList().forEach(e -> addEnum(name, e));
  }

  private void addEnum(String scope, EnumDescriptorProto e) {
    symbols.put(qualify(scope, e.getName()), Kind.ENUM);
    // Enum values are siblings of their enum, not children (C++ scoping), as in protoc.
    e.getValueList().forEach(v -> symbols.putIfAbsent(qualify(scope, v.getName()), Kind.MEMBER));
  }

  /** What {@code fullName} (no leading dot) names, or null. */
  Kind get(String fullName) {
    return symbols.get(fullName);
  }

  static String qualify(String scope, String name) {
    return scope.isEmpty() ? name : scope + "." + name;
  }
}
