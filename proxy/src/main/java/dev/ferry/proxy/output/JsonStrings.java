package dev.ferry.proxy.output;

/**
 * Writes JSON string literals (RFC 8259 section 7): the access log, the admin's documents and the
 * trace each write a little JSON by hand, and this is the one escaping they share.
 */
public final class JsonStrings {
  private JsonStrings() {}

  /** Appends {@code s} as a quoted, escaped JSON string, or {@code null}. */
  public static void append(String s, StringBuilder sb) {
    if (s == null) {
      sb.append("null");
      return;
    }
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          // U+2028 and U+2029 are valid JSON but end lines in JavaScript and some log viewers.
          if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
