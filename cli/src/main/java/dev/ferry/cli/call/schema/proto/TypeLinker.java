package dev.ferry.cli.call.schema.proto;

import java.util.List;

/**
 * Resolves the type names a file wrote into fully qualified ones, by protobuf's scoping rules: a
 * name with a leading dot is absolute; otherwise its first part is looked up from the innermost
 * scope outward, and the rest inside what that found, so {@code Foo.Bar} in {@code a.b.Msg} tries
 * {@code a.b.Msg.Foo}, {@code a.b.Foo}, {@code a.Foo}, {@code Foo}.
 */
final class TypeLinker {
  private final String file;
  private final SymbolTable symbols;

  TypeLinker(String file, SymbolTable symbols) {
    this.file = file;
    this.symbols = symbols;
  }

  void link(List<TypeReference> references) {
    for (TypeReference reference : references) {
      String resolved = resolve(reference);
      SymbolTable.Kind kind = symbols.get(resolved);
      if (reference.messageOnly() && kind != SymbolTable.Kind.MESSAGE) {
        throw error(reference, "\"" + reference.name() + "\" is not a message type");
      }
      reference.resolved().accept("." + resolved, kind);
    }
  }

  private String resolve(TypeReference reference) {
    String name = reference.name();
    if (name.startsWith(".")) {
      String absolute = name.substring(1);
      SymbolTable.Kind kind = symbols.get(absolute);
      if (kind == null || !kind.isType()) {
        throw error(reference, "\"" + name + "\" is not defined" + importHint());
      }
      return absolute;
    }
    int dot = name.indexOf('.');
    String first = dot < 0 ? name : name.substring(0, dot);
    String scope = reference.scope();
    while (true) {
      SymbolTable.Kind found = symbols.get(SymbolTable.qualify(scope, first));
      if (found != null) {
        if (dot < 0 && found.isType()) {
          return SymbolTable.qualify(scope, first);
        }
        if (dot >= 0 && found.isScope()) {
          String full = SymbolTable.qualify(scope, name);
          SymbolTable.Kind kind = symbols.get(full);
          if (kind != null && kind.isType()) {
            return full;
          }
          // As protoc: having found the first part, looking further out would surprise people.
          throw error(
              reference,
              "\""
                  + name
                  + "\" is resolved to \""
                  + full
                  + "\", which is not defined. The innermost scope is searched first in name"
                  + " resolution; write \"."
                  + name
                  + "\" to start from the outermost scope");
        }
      }
      if (scope.isEmpty()) {
        throw error(reference, "\"" + name + "\" is not defined" + importHint());
      }
      int last = scope.lastIndexOf('.');
      scope = last < 0 ? "" : scope.substring(0, last);
    }
  }

  private static String importHint() {
    return " (is the file that defines it imported?)";
  }

  private ProtoSyntaxException error(TypeReference reference, String message) {
    return new ProtoSyntaxException(file, reference.at(), message);
  }
}
