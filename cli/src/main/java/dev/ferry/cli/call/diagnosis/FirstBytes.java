package dev.ferry.cli.call.diagnosis;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Says in a few words what a server sent when it did not speak HTTP/2: the status line of an
 * HTTP/1.x reply, or the text of an error page (Python's http.server answers HTTP/2's preface with
 * a bare HTML page saying "Error code: 505").
 */
final class FirstBytes {
  private static final int SHOWN = 100;

  private FirstBytes() {}

  /** "answered in HTTP/1.x, not HTTP/2: ..." for the bytes a connection received; empty if none. */
  static Optional<String> describe(byte[] bytes) {
    if (bytes.length == 0 || bytes[0] == 0x15 || bytes[0] == 0x16) {
      // Nothing, or a TLS record: the first five bytes say as much.
      return Optional.empty();
    }
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    if (text.startsWith("HTTP/")) {
      int end = text.indexOf('\r') >= 0 ? text.indexOf('\r') : text.indexOf('\n');
      String statusLine = end >= 0 ? text.substring(0, end) : text;
      return Optional.of(
          "answered in HTTP/1.x, not HTTP/2: \""
              + shorten(statusLine)
              + "\" (an HTTP/1.1-only server or proxy; gRPC needs HTTP/2 all the way to the"
              + " service)");
    }
    String words =
        text.replaceAll("(?s)<head>.*?</head>", " ")
            .replaceAll("<[^>]*>", " ")
            .replaceAll("[^\\x20-\\x7e]+", " ")
            .replaceAll("\\s+", " ")
            .strip();
    return Optional.of(
        "answered with something that is not HTTP/2"
            + (words.isEmpty() ? "" : ": \"" + shorten(words) + "\"")
            + (text.stripLeading().startsWith("<")
                ? " (an HTTP/1.x server's error page, sent without a status line: it does not"
                    + " speak HTTP/2, which gRPC needs)"
                : " (not a gRPC server)"));
  }

  private static String shorten(String s) {
    return s.length() > SHOWN ? s.substring(0, SHOWN) + "..." : s;
  }
}
