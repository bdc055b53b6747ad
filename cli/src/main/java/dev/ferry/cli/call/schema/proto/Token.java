package dev.ferry.cli.call.schema.proto;

/**
 * One lexical token of a .proto file with where it starts (1-based line and column), so that every
 * error can point at it.
 */
record Token(Kind kind, String text, int line, int column) {

  /** What sort of token: the parser decides by kind first, then by text. */
  enum Kind {
    IDENTIFIER,
    INTEGER,
    FLOAT,
    /** A string literal; {@code text} holds the value with its escapes decoded. */
    STRING,
    SYMBOL,
    END
  }

  boolean is(String symbolOrWord) {
    return (kind == Kind.SYMBOL || kind == Kind.IDENTIFIER) && text.equals(symbolOrWord);
  }

  /** How the token reads in an error message. */
  String describe() {
    return switch (kind) {
      case END -> "end of file";
      case STRING -> "string \"" + text + "\"";
      default -> "'" + text + "'";
    };
  }
}
