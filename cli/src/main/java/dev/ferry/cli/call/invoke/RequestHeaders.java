package dev.ferry.cli.call.invoke;

import io.grpc.Metadata;
import java.util.Base64;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns {@code -H 'name: value'} arguments into request metadata: names lower-cased, {@code -bin}
 * values decoded from base64, {@code ${NAME}} replaced from the environment only when asked (a
 * header value is otherwise sent exactly as typed).
 */
public final class RequestHeaders {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Pattern NAME = Pattern.compile("[0-9a-z_.-]+");

  private final boolean expand;
  private final Function<String, String> environment;

  public RequestHeaders(boolean expand, Function<String, String> environment) {
    this.expand = expand;
    this.environment = environment;
  }

  /** Adds each {@code name: value} to a new Metadata; a malformed one is a usage error. */
  public Metadata parse(Iterable<String> headers) {
    Metadata metadata = new Metadata();
    for (String header : headers) {
      add(metadata, header);
    }
    return metadata;
  }

  private void add(Metadata metadata, String header) {
    int colon = header.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "-H '" + header + "': expected 'name: value', like -H 'authorization: Bearer x'");
    }
    String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    String value = header.substring(colon + 1).trim();
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "-H '"
              + header
              + "': '"
              + name
              + "' is not a valid header name (expected: a-z 0-9 - _ .)");
    }
    if (name.startsWith(":") || name.startsWith("grpc-")) {
      throw new IllegalArgumentException("-H '" + header + "': " + name + " is reserved for gRPC");
    }
    if (expand) {
      value = expand(value, header);
    }
    if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "-H '" + header + "': a -bin header's value must be base64 (" + e.getMessage() + ")");
      }
      metadata.put(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER), bytes);
    } else {
      checkPrintable(value, name);
      metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
    }
  }

  /**
   * gRPC header values are printable ASCII; grpc-java would log a warning and send the value
   * anyway, and a CR or LF in one is how headers get smuggled.
   */
  private static void checkPrintable(String value, String name) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        String what =
            c == '\r'
                ? "a carriage return (CR)"
                : c == '\n'
                    ? "a line feed (LF)"
                    : c < 0x20 || c == 0x7f
                        ? String.format("the control character U+%04X", (int) c)
                        : String.format("the non-ASCII character U+%04X", (int) c);
        throw new IllegalArgumentException(
            "-H "
                + name
                + ": the value holds "
                + what
                + " at position "
                + (i + 1)
                + " (expected printable ASCII; send bytes in a -bin header, base64)");
      }
    }
  }

  private String expand(String value, String header) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = environment.apply(m.group(1));
      if (replacement == null) {
        throw new IllegalArgumentException(
            "-H '" + header + "': environment variable " + m.group(1) + " is not set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
