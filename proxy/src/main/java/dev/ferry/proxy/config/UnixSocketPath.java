package dev.ferry.proxy.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A Unix domain socket written as nginx ({@code unix:/run/app.sock}) and gRPC ({@code
 * unix:///run/app.sock}, {@code unix:app.sock}) write it: the one grammar of a listener address and
 * an endpoint that is a socket file rather than a host and port.
 */
final class UnixSocketPath {
  static final String PREFIX = "unix:";

  // sun_path in struct sockaddr_un is 108 bytes on Linux, the last of which is the NUL.
  static final int MAX_BYTES = 107;

  private UnixSocketPath() {}

  /** Whether {@code text} names a Unix socket, so that {@link #parse} applies. */
  static boolean isUnix(String text) {
    return text.trim().startsWith(PREFIX);
  }

  /**
   * The socket path {@code text} names.
   *
   * @throws IllegalArgumentException with a message naming the text and what was expected
   */
  static Path parse(String text) {
    String path = text.trim().substring(PREFIX.length());
    if (path.startsWith("//")) {
      // unix://host/path would be a URI with an authority; gRPC allows none.
      if (!path.startsWith("///")) {
        throw new IllegalArgumentException(
            "'" + text + "' names a host; expected unix:/absolute/path or unix:///absolute/path");
      }
      path = path.substring(2);
    }
    if (path.isEmpty()) {
      throw new IllegalArgumentException(
          "'" + text + "' names no socket file; expected unix:/path, such as unix:/run/app.sock");
    }
    if (path.endsWith("/")) {
      throw new IllegalArgumentException(
          "'" + text + "' ends with /, so it names a directory, not a socket file");
    }
    int bytes = path.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      throw new IllegalArgumentException(
          "socket path "
              + path
              + " is "
              + bytes
              + " bytes long (expected at most "
              + MAX_BYTES
              + ", the limit of a Unix socket address)");
    }
    try {
      return Path.of(path);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a valid file path: " + e.getReason(), e);
    }
  }

  /** {@code unix:/run/app.sock}: how ferry prints a socket, and reads it back. */
  static String text(Path socket) {
    return PREFIX + socket;
  }
}
