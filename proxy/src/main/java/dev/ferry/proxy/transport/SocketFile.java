package dev.ferry.proxy.transport;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What the file system shows at the path of a Unix domain socket, to say why a listen or a connect
 * there failed in words a person can act on; a look at the file, cheap enough for a failure path.
 */
public final class SocketFile {
  /** What is at the path. */
  public enum Kind {
    /** Nothing: no such file (the parent may be missing too; see {@link #parentMissing}). */
    MISSING,
    /** A socket. */
    SOCKET,
    /** A directory. */
    DIRECTORY,
    /** A regular file, a pipe, a device: anything else. */
    OTHER,
    /** The path cannot be looked at: a directory on the way is not searchable. */
    NOT_SEARCHABLE
  }

  // The file type bits of st_mode (S_IFMT) and the type of a socket (S_IFSOCK), from stat(2).
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private SocketFile() {}

  /** What is at {@code path}, symbolic links followed as connect(2) and bind(2) follow them. */
  public static Kind kindOf(Path path) {
    try {
      if (Files.isDirectory(path)) {
        return Kind.DIRECTORY;
      }
      int mode = (Integer) Files.getAttribute(path, "unix:mode");
      return (mode & S_IFMT) == S_IFSOCK ? Kind.SOCKET : Kind.OTHER;
    } catch (NoSuchFileException e) {
      return Kind.MISSING;
    } catch (AccessDeniedException e) {
      return Kind.NOT_SEARCHABLE;
    } catch (IOException | UnsupportedOperationException e) {
      // No unix:mode view outside Unix: there is no socket file to look at either.
      return Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? Kind.OTHER : Kind.MISSING;
    }
  }

  /** Whether the directory {@code path} would be made in does not exist. */
  public static boolean parentMissing(Path path) {
    Path parent = path.toAbsolutePath().getParent();
    return parent != null && !Files.isDirectory(parent);
  }

  /**
   * Why a connect to the socket at {@code path} failed, from what is there now; {@code null} when
   * the socket is in place and writable, so that the refusal itself is the answer (nobody listens).
   */
  public static String whyNoConnect(Path path) {
    return switch (kindOf(path)) {
      case MISSING ->
          parentMissing(path)
              ? "no such directory: " + path.toAbsolutePath().getParent()
              : "no such socket file (is the server running?)";
      case DIRECTORY -> "it is a directory, not a socket";
      case OTHER -> "it is not a socket";
      case NOT_SEARCHABLE -> "permission denied: a directory on the path is not searchable";
      case SOCKET -> Files.isWritable(path) ? null : "permission denied (connecting needs write)";
    };
  }
}
