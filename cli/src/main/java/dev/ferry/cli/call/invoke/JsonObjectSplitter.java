package dev.ferry.cli.call.invoke;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;

/**
 * Cuts a character stream of JSON objects (concatenated, or one per line) into one object at a
 * time, returning each as soon as its closing brace has been read, so a streaming call can send it
 * before the rest of the input exists.
 */
public final class JsonObjectSplitter {
  private final Reader in;
  private long position;
  private int objects;

  JsonObjectSplitter(Reader in) {
    this.in = in;
  }

  /**
   * The next top-level JSON object, or {@code null} at the end of the input. Reads no further than
   * that object's closing brace: a caller holding the input open gets the object right away.
   */
  String next() throws IOException {
    int c = skipWhitespace();
    if (c < 0) {
      return null;
    }
    if (c != '{') {
      throw new MalformedInputException(
          "input at character "
              + position
              + ": expected '{' to start request message "
              + (objects + 1)
              + ", found '"
              + (char) c
              + "'");
    }
    StringBuilder object = new StringBuilder().append('{');
    int depth = 1;
    boolean inString = false;
    boolean escaped = false;
    while (depth > 0) {
      c = read();
      if (c < 0) {
        throw new MalformedInputException(
            "input ended inside request message "
                + (objects + 1)
                + " (unbalanced braces or quotes)");
      }
      object.append((char) c);
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
      }
    }
    objects++;
    return object.toString();
  }

  private int skipWhitespace() throws IOException {
    int c;
    do {
      c = read();
    } while (c >= 0 && (Character.isWhitespace(c) || c == ','));
    return c;
  }

  private int read() throws IOException {
    int c;
    try {
      c = in.read();
    } catch (CharacterCodingException e) {
      throw new MalformedInputException(
          "the request input is not UTF-8 text (a byte after character "
              + position
              + " is not UTF-8; -d takes JSON, not binary data)");
    }
    if (c >= 0) {
      position++;
    }
    return c;
  }

  /** The input is not a sequence of JSON objects; the message says where. */
  public static final class MalformedInputException extends IOException {
    MalformedInputException(String message) {
      super(message);
    }
  }
}
