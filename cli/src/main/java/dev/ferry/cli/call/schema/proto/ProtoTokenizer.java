package dev.ferry.cli.call.schema.proto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits .proto source into {@link Token}s: skips whitespace and both comment forms, decodes string
 * escapes (C's, plus protobuf's backslash-u and backslash-U), and keeps each token's position.
 */
final class ProtoTokenizer {
  private final String file;
  private final String source;
  private int pos;
  private int line = 1;
  private int column = 1;

  private ProtoTokenizer(String file, String source) {
    this.file = file;
    this.source = source;
  }

  /** The tokens of {@code source}, ending with one {@link Token.Kind#END}. */
  static List<Token> tokenize(String file, String source) {
    return new ProtoTokenizer(file, source).all();
  }

  private List<Token> all() {
    List<Token> tokens = new ArrayList<>();
    while (true) {
      skipSpaceAndComments();
      int startLine = line;
      int startColumn = column;
      if (pos >= source.length()) {
        tokens.add(new Token(Token.Kind.END, "", startLine, startColumn));
        return tokens;
      }
      char c = source.charAt(pos);
      if (Character.isLetter(c) || c == '_') {
        tokens.add(new Token(Token.Kind.IDENTIFIER, word(), startLine, startColumn));
      } else if (Character.isDigit(c) || (c == '.' && isDigitAt(pos + 1))) {
        String number = number();
        boolean isFloat =
            !number.startsWith("0x")
                && !number.startsWith("0X")
                && (number.contains(".") || number.contains("e") || number.contains("E"));
        tokens.add(
            new Token(
                isFloat ? Token.Kind.FLOAT : Token.Kind.INTEGER, number, startLine, startColumn));
      } else if (c == '"' || c == '\'') {
        tokens.add(new Token(Token.Kind.STRING, string(c), startLine, startColumn));
      } else {
        advance();
        tokens.add(new Token(Token.Kind.SYMBOL, String.valueOf(c), startLine, startColumn));
      }
    }
  }

  private void skipSpaceAndComments() {
    while (pos < source.length()) {
      char c = source.charAt(pos);
      if (Character.isWhitespace(c)) {
        advance();
      } else if (source.startsWith("//", pos)) {
        while (pos < source.length() && source.charAt(pos) != '\n') {
          advance();
        }
      } else if (source.startsWith("/*", pos)) {
        int startLine = line;
        int startColumn = column;
        advance();
        advance();
        while (!source.startsWith("*/", pos)) {
          if (pos >= source.length()) {
            throw new ProtoSyntaxException(
                file, startLine, startColumn, "comment started here is never closed with */");
          }
          advance();
        }
        advance();
        advance();
      } else {
        return;
      }
    }
  }

  private String word() {
    int start = pos;
    while (pos < source.length()
        && (Character.isLetterOrDigit(source.charAt(pos)) || source.charAt(pos) == '_')) {
      advance();
    }
    return source.substring(start, pos);
  }

  private String number() {
    int start = pos;
    while (pos < source.length()) {
      char c = source.charAt(pos);
      boolean exponentSign =
          (c == '+' || c == '-')
              && pos > start
              && (source.charAt(pos - 1) == 'e' || source.charAt(pos - 1) == 'E')
              && !source.substring(start, pos).toLowerCase().startsWith("0x");
      if (Character.isLetterOrDigit(c) || c == '.' || exponentSign) {
        advance();
      } else {
        break;
      }
    }
    return source.substring(start, pos);
  }

  private String string(char quote) {
    int startLine = line;
    int startColumn = column;
    advance();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    while (true) {
      if (pos >= source.length() || source.charAt(pos) == '\n') {
        throw new ProtoSyntaxException(file, startLine, startColumn, "string is never closed");
      }
      char c = source.charAt(pos);
      if (c == quote) {
        advance();
        return bytes.toString(StandardCharsets.UTF_8);
      }
      if (c == '\\') {
        escape(bytes);
      } else {
        // A character outside the BMP is two chars: take both, so that UTF-8 encodes the pair.
        int codePoint = source.codePointAt(pos);
        bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
        advance();
        if (Character.charCount(codePoint) == 2) {
          advance();
        }
      }
    }
  }

  private void escape(ByteArrayOutputStream bytes) {
    int escLine = line;
    int escColumn = column;
    advance();
    if (pos >= source.length()) {
      throw new ProtoSyntaxException(file, escLine, escColumn, "string is never closed");
    }
    char c = source.charAt(pos);
    advance();
    switch (c) {
      case 'a' -> bytes.write(7);
      case 'b' -> bytes.write('\b');
      case 'f' -> bytes.write('\f');
      case 'n' -> bytes.write('\n');
      case 'r' -> bytes.write('\r');
      case 't' -> bytes.write('\t');
      case 'v' -> bytes.write(11);
      case '\\', '\'', '"', '?' -> bytes.write(c);
      case 'x', 'X' -> bytes.write(digits(16, 2, escLine, escColumn));
      case 'u' -> codePoint(bytes, digits(16, 4, escLine, escColumn));
      case 'U' -> codePoint(bytes, digits(16, 8, escLine, escColumn));
      default -> {
        if (c >= '0' && c <= '7') {
          // Octal: up to three digits, the first already read.
          int value = c - '0';
          for (int i = 0; i < 2 && pos < source.length() && isOctal(source.charAt(pos)); i++) {
            value = value * 8 + (source.charAt(pos) - '0');
            advance();
          }
          bytes.write(value & 0xff);
        } else {
          throw new ProtoSyntaxException(file, escLine, escColumn, "unknown escape \\" + c);
        }
      }
    }
  }

  private int digits(int radix, int max, int escLine, int escColumn) {
    int start = pos;
    while (pos - start < max
        && pos < source.length()
        && Character.digit(source.charAt(pos), radix) >= 0) {
      advance();
    }
    if (pos == start) {
      throw new ProtoSyntaxException(file, escLine, escColumn, "escape needs hex digits");
    }
    return (int) Long.parseLong(source.substring(start, pos), radix);
  }

  private void codePoint(ByteArrayOutputStream bytes, int codePoint) {
    bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
  }

  private static boolean isOctal(char c) {
    return c >= '0' && c <= '7';
  }

  private boolean isDigitAt(int at) {
    return at < source.length() && Character.isDigit(source.charAt(at));
  }

  private void advance() {
    if (source.charAt(pos) == '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
    pos++;
  }
}
