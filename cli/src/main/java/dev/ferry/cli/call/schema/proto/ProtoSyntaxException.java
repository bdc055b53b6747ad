package dev.ferry.cli.call.schema.proto;

/**
 * A .proto file that cannot be used, with the place to fix it: its message reads {@code
 * file.proto:LINE:COL: what is wrong}, as protoc and compilers print it.
 */
public final class ProtoSyntaxException extends RuntimeException {

  ProtoSyntaxException(String file, int line, int column, String message) {
    super(file + ":" + line + ":" + column + ": " + message);
  }

  ProtoSyntaxException(String file, Token at, String message) {
    this(file, at.line(), at.column(), message);
  }

  /** A problem with the file as a whole (not found, unreadable, an import cycle). */
  ProtoSyntaxException(String message, Throwable cause) {
    super(message, cause);
  }
}
