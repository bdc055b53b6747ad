package dev.ferry.cli.call.schema.proto;

import java.util.List;

/** Walks a file's tokens for the parsers: look, take, or fail with the token's position. */
final class TokenCursor {
  private final String file;
  private final List<Token> tokens;
  private int index;

  TokenCursor(String file, List<Token> tokens) {
    this.file = file;
    this.tokens = tokens;
  }

  String file() {
    return file;
  }

  Token peek() {
    return tokens.get(index);
  }

  Token peek(int ahead) {
    return tokens.get(Math.min(index + ahead, tokens.size() - 1));
  }

  Token next() {
    Token token = tokens.get(index);
    if (token.kind() != Token.Kind.END) {
      index++;
    }
    return token;
  }

  boolean atEnd() {
    return peek().kind() == Token.Kind.END;
  }

  /** Takes the next token if it is {@code text}. */
  boolean take(String text) {
    if (peek().is(text) && peek().kind() != Token.Kind.STRING) {
      next();
      return true;
    }
    return false;
  }

  Token expect(String text) {
    Token token = peek();
    if (!token.is(text)) {
      throw error(token, "expected '" + text + "' but found " + token.describe());
    }
    return next();
  }

  Token identifier(String what) {
    Token token = peek();
    if (token.kind() != Token.Kind.IDENTIFIER) {
      throw error(token, "expected " + what + " but found " + token.describe());
    }
    return next();
  }

  /** A dotted name like {@code foo.bar.Baz}, or {@code .foo.Bar} when {@code leadingDot}. */
  String dottedName(String what, boolean leadingDot) {
    StringBuilder name = new StringBuilder();
    if (leadingDot && take(".")) {
      name.append('.');
    }
    name.append(identifier(what).text());
    while (peek().is(".")) {
      next();
      name.append('.').append(identifier(what).text());
    }
    return name.toString();
  }

  /** One string literal, or several in a row joined as C joins them. */
  String string(String what) {
    Token token = peek();
    if (token.kind() != Token.Kind.STRING) {
      throw error(token, "expected " + what + " (a quoted string) but found " + token.describe());
    }
    StringBuilder value = new StringBuilder();
    while (peek().kind() == Token.Kind.STRING) {
      value.append(next().text());
    }
    return value.toString();
  }

  /** An integer literal, with an optional minus sign, in decimal, hex or octal. */
  long integer(String what) {
    Token start = peek();
    boolean negative = take("-");
    Token token = peek();
    if (token.kind() != Token.Kind.INTEGER) {
      throw error(token, "expected " + what + " (an integer) but found " + token.describe());
    }
    next();
    long value = parseInteger(token);
    if (negative && value < 0) {
      throw error(start, what + " is out of range");
    }
    return negative ? -value : value;
  }

  /** An int32 value such as a field number or an enum value, range-checked. */
  int int32(String what) {
    Token at = peek();
    long value = integer(what);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw error(at, what + " " + value + " is out of range (expected: a 32-bit integer)");
    }
    return (int) value;
  }

  long parseInteger(Token token) {
    String text = token.text();
    try {
      if (text.startsWith("0x") || text.startsWith("0X")) {
        return Long.parseUnsignedLong(text.substring(2), 16);
      }
      if (text.length() > 1 && text.startsWith("0")) {
        return Long.parseUnsignedLong(text.substring(1), 8);
      }
      return Long.parseUnsignedLong(text);
    } catch (NumberFormatException e) {
      throw error(token, "not an integer: " + text);
    }
  }

  ProtoSyntaxException error(Token at, String message) {
    return new ProtoSyntaxException(file, at, message);
  }
}
