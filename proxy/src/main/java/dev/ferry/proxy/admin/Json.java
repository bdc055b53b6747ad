package dev.ferry.proxy.admin;

import dev.ferry.proxy.output.JsonStrings;

/** JSON strings (RFC 8259 section 7) written by hand: the admin's few documents need no library. */
final class Json {
  private Json() {}

  static void string(String s, StringBuilder sb) {
    JsonStrings.append(s, sb);
  }
}
