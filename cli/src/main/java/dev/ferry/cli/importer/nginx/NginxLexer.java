package dev.ferry.cli.importer.nginx;

/**
 * Splits nginx configuration text into words, {@code ;}, {@code {} and {@code }}, as nginx's {@code
 * ngx_conf_read_token} does: {@code #} starts a comment only where a word could start, quotes only
 * at the start of a word, a backslash takes the next character as it is, and {@code ${name}} is
 * part of a word rather than a block.
 */
final class NginxLexer {
  /** What a token is. */
  enum Kind {
    WORD,
    SEMICOLON,
    OPEN,
    CLOSE,
    END
  }

  /** One token, with the line it starts on. */
  record Token(Kind kind, String text, int line) {}

  private final String text;
  private final String file;
  private int pos;
  private int line = 1;

  NginxLexer(String file, String text) {
    this.file = file;
    this.text = text;
  }

  Token next() throws NginxSyntaxException {
    skipSpaceAndComments();
    if (pos >= text.length()) {
      return new Token(Kind.END, "", line);
    }
    char c = text.charAt(pos);
    switch (c) {
      case ';':
        pos++;
        return new Token(Kind.SEMICOLON, ";", line);
      case '{':
        pos++;
        return new Token(Kind.OPEN, "{", line);
      case '}':
        pos++;
        return new Token(Kind.CLOSE, "}", line);
      case '"':
      case '\'':
        return quoted(c);
      default:
        return word();
    }
  }

  private void skipSpaceAndComments() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\n') {
        line++;
        pos++;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        pos++;
      } else if (c == '#') {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private Token quoted(char quote) throws NginxSyntaxException {
    int startLine = line;
    StringBuilder sb = new StringBuilder();
    pos++;
    while (true) {
      if (pos >= text.length()) {
        throw new NginxSyntaxException(
            file + ":" + startLine,
            "unexpected end of file: the quote " + quote + " is not closed");
      }
      char c = text.charAt(pos++);
      if (c == quote) {
        break;
      }
      if (c == '\n') {
        line++;
      }
      if (c == '\\' && pos < text.length()) {
        sb.append(escaped(text.charAt(pos++)));
      } else {
        sb.append(c);
      }
    }
    // nginx wants a separator after a closing quote: "a"b is an error, not the word ab.
    if (pos < text.length() && " \t\r\n;{".indexOf(text.charAt(pos)) < 0) {
      throw new NginxSyntaxException(
          file + ":" + line, "unexpected \"" + text.charAt(pos) + "\" after a quoted string");
    }
    return new Token(Kind.WORD, sb.toString(), startLine);
  }

  private Token word() {
    int startLine = line;
    StringBuilder sb = new StringBuilder();
    boolean inVariable = false;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '{' && sb.length() > 0 && sb.charAt(sb.length() - 1) == '$') {
        inVariable = true;
      } else if (c == '}' && inVariable) {
        inVariable = false;
      } else if (" \t\r\n;{}".indexOf(c) >= 0) {
        break;
      } else if (c == '\\' && pos + 1 < text.length()) {
        pos++;
        sb.append(escaped(text.charAt(pos++)));
        continue;
      }
      sb.append(c);
      pos++;
    }
    return new Token(Kind.WORD, sb.toString(), startLine);
  }

  /** nginx unescapes these four and keeps the backslash before anything else. */
  private static String escaped(char c) {
    return switch (c) {
      case '"', '\'', '\\' -> String.valueOf(c);
      case 't' -> "\t";
      case 'r' -> "\r";
      case 'n' -> "\n";
      default -> "\\" + c;
    };
  }
}
