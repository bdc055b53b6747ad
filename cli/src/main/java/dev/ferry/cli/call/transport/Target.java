package dev.ferry.cli.call.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The server a call goes to, as typed: {@code host:port}, IPv6 literals in brackets ({@code
 * [::1]:8080}), or a Unix domain socket as gRPC names it ({@code unix:/path}, {@code
 * unix:///path}); {@code socket} is null for TCP.
 */
public record Target(String host, int port, Path socket) {
  private static final String UNIX = "unix:";

  /** S_IFMT and S_IFSOCK of stat(2): the file type bits, and the value that means a socket. */
  private static final int FILE_TYPE_BITS = 0170000;

  private static final int SOCKET_TYPE = 0140000;

  public Target(String host, int port) {
    this(host, port, null);
  }

  /** A Unix domain socket target; host and port are gRPC's for them (authority localhost). */
  public static Target unix(Path socket) {
    return new Target("localhost", 0, socket);
  }

  public static Target parse(String address) {
    if (address.startsWith(UNIX)) {
      return parseUnix(address);
    }
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException(
          "'"
              + address
              + "' is not host:port (expected: like 127.0.0.1:50051, [::1]:8080 or"
              + " unix:/path)");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(
          "'" + address + "': write an IPv6 address in brackets, like [::1]:8080");
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "'" + address + "': port " + address.substring(colon + 1) + " (expected: 1 to 65535)");
    }
    return new Target(host, port);
  }

  /** gRPC's two spellings: {@code unix:path} (relative or absolute) and {@code unix:///abs}. */
  private static Target parseUnix(String address) {
    String path = address.substring(UNIX.length());
    if (path.startsWith("//")) {
      // unix://authority/path has an authority, which gRPC allows only empty: unix:///path.
      if (!path.startsWith("///")) {
        throw new IllegalArgumentException(
            "'" + address + "': write unix:///absolute/path or unix:/absolute/path");
      }
      path = path.substring(2);
    }
    if (path.isEmpty()) {
      throw new IllegalArgumentException(
          "'" + address + "' names no socket (expected: like unix:/run/app.sock)");
    }
    return unix(Path.of(path));
  }

  public boolean isUnix() {
    return socket != null;
  }

  /**
   * Fails with one line when a Unix socket target is missing or is some other kind of file, where
   * the connect would only say "connection refused" or "no such file".
   */
  public void checkSocket() throws IOException {
    if (!isUnix()) {
      return;
    }
    if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS) && !Files.exists(socket)) {
      throw new NoSuchFileException(
          "no such socket: " + socket + " (is the server running? is the path right?)");
    }
    if (Files.isDirectory(socket)) {
      throw new IOException(socket + " is a directory, not a socket");
    }
    if (Files.isRegularFile(socket)) {
      throw new IOException(socket + " is a regular file, not a socket");
    }
    try {
      int mode = (Integer) Files.getAttribute(socket, "unix:mode");
      if ((mode & FILE_TYPE_BITS) != SOCKET_TYPE) {
        throw new IOException(socket + " is not a socket (a device or a pipe)");
      }
    } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
      // No "unix" attribute view on this platform: let the connect say what it finds.
    }
  }

  /** The address in gRPC's target syntax: {@code unix:///abs/path} for a socket. */
  public String grpcTarget() {
    return isUnix() ? "unix://" + socket.toAbsolutePath() : toString();
  }

  /**
   * As typed, an IPv6 literal in brackets. Not by Netty's NetUtil: its first use reads the
   * machine's network interfaces and starts Netty's and SLF4J's machinery, a twentieth of a
   * one-shot call's CPU time.
   */
  @Override
  public String toString() {
    if (isUnix()) {
      return UNIX + socket;
    }
    // parse() takes a host with a colon only in brackets: an IPv6 literal.
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
