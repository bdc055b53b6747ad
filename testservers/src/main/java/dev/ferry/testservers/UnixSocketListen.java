package dev.ferry.testservers;

import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What an example backend needs to listen on a Unix domain socket: epoll event loops (grpc-java's
 * domain sockets come with that transport only) and a path made ready for bind(2), a stale socket
 * file replaced and anything else refused, as ferry serve does with its own listeners.
 */
final class UnixSocketListen {
  // The file type bits of st_mode (S_IFMT) and the type of a socket (S_IFSOCK), from stat(2).
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private UnixSocketListen() {}

  /** One event loop of Netty's epoll transport, for a server on a Unix socket. */
  static EventLoopGroup loops(String kind) throws IOException {
    if (!Epoll.isAvailable()) {
      throw new IOException(
          "Unix domain sockets need Netty's epoll transport (Linux), which is not available here: "
              + Epoll.unavailabilityCause().getMessage());
    }
    return new EpollEventLoopGroup(1, new DefaultThreadFactory("ferry-" + kind + "-unix", true));
  }

  /**
   * Clears the way to bind {@code socket}.
   *
   * @throws BindException when a process listens on it
   * @throws IOException naming the path when anything else is in the way
   */
  static void prepare(Path socket) throws IOException {
    String where = "unix:" + socket;
    Path parent = socket.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new IOException("cannot listen on " + where + ": no such directory: " + parent);
    }
    if (Files.isDirectory(socket)) {
      throw new IOException("cannot listen on " + where + ": it is a directory");
    }
    int mode;
    try {
      mode = (Integer) Files.getAttribute(socket, "unix:mode");
    } catch (NoSuchFileException e) {
      return;
    }
    if ((mode & S_IFMT) != S_IFSOCK) {
      throw new IOException(
          "cannot listen on "
              + where
              + ": a file that is not a socket is there (only sockets"
              + " are replaced)");
    }
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      // Non-blocking: a live server with a full backlog must not hang the start.
      probe.configureBlocking(false);
      probe.connect(UnixDomainSocketAddress.of(socket));
    } catch (ConnectException refused) {
      // Nobody accepts: the file of a process that ended.
      Files.delete(socket);
      return;
    }
    throw new BindException(where + " is already in use (a process listens on the socket)");
  }
}
