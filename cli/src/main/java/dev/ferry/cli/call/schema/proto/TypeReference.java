package dev.ferry.cli.call.schema.proto;

import java.util.function.BiConsumer;

/**
 * A type named in a .proto file (a field's type, an extendee, a method's input or output) as it was
 * written, the scope it was written in, and where to put the resolved name. The parser records
 * these; {@link TypeLinker} resolves them once the imported files are known.
 *
 * @param scope the fully qualified name of the enclosing message, or the package
 * @param messageOnly true where only a message will do (methods, extendees)
 * @param resolved receives the fully qualified name (with a leading dot) and its kind
 */
record TypeReference(
    Token at,
    String name,
    String scope,
    boolean messageOnly,
    BiConsumer<String, SymbolTable.Kind> resolved) {}
