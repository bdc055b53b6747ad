package dev.ferry.proxy;

import dev.ferry.proxy.ListenFailedException.Problem;
import dev.ferry.proxy.transport.SocketFile;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a listener to a Unix socket file, the path made ready first as nginx and Envoy do: a socket
 * file that a dead process left behind is removed, anything else at the path is refused with a
 * reason. (The file of a listener ferry closes is removed by Netty's channel as it closes.)
 */
final class UnixListenerFile {
  private static final Logger log = LoggerFactory.getLogger(UnixListenerFile.class);

  private UnixListenerFile() {}

  /**
   * Binds {@code bootstrap} to {@code socket} with Netty's epoll domain socket channel, waiting for
   * it.
   *
   * @throws ListenFailedException naming the path when it cannot be listened on
   */
  static ChannelFuture bind(ServerBootstrap bootstrap, Path socket) throws ListenFailedException {
    prepare(socket);
    ChannelFuture f =
        bootstrap
            .channel(EpollServerDomainSocketChannel.class)
            .bind(new DomainSocketAddress(socket.toString()))
            .awaitUninterruptibly();
    if (!f.isSuccess()) {
      Throwable cause = f.cause();
      String why =
          cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
      throw ListenFailedException.unix(socket, Problem.OTHER, why, cause);
    }
    return f;
  }

  /**
   * Clears the way to bind {@code socket}.
   *
   * @throws ListenFailedException when something other than a stale socket is there, or the
   *     directory is missing
   */
  private static void prepare(Path socket) throws ListenFailedException {
    switch (SocketFile.kindOf(socket)) {
      case MISSING -> {
        if (SocketFile.parentMissing(socket)) {
          throw refused(socket, "no such directory: " + socket.toAbsolutePath().getParent());
        }
      }
      case DIRECTORY -> throw refused(socket, "it is a directory");
      case OTHER ->
          throw refused(
              socket, "a file that is not a socket is there (ferry replaces only sockets)");
      case NOT_SEARCHABLE ->
          throw refused(socket, "permission denied: a directory on the path is not searchable");
      case SOCKET -> removeIfStale(socket);
    }
  }

  /** A socket file nobody accepts on is a dead process's: the bind needs it gone. */
  private static void removeIfStale(Path socket) throws ListenFailedException {
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      // Non-blocking: a live server with a full backlog must not hang the start.
      probe.configureBlocking(false);
      probe.connect(UnixDomainSocketAddress.of(socket));
    } catch (ConnectException refused) {
      remove(socket);
      return;
    } catch (IOException e) {
      throw ListenFailedException.unix(
          socket,
          Problem.OTHER,
          "a socket file is there and cannot be checked: " + e.getMessage(),
          e);
    }
    throw ListenFailedException.unix(
        socket,
        Problem.ADDRESS_IN_USE,
        "the address is already in use (a process listens on the socket)",
        null);
  }

  private static void remove(Path socket) throws ListenFailedException {
    try {
      Files.delete(socket);
      log.info("unix:{}: removed a stale socket file, left by a process that ended", socket);
    } catch (IOException e) {
      throw ListenFailedException.unix(
          socket,
          Problem.OTHER,
          "a stale socket file is there and cannot be removed: " + e.getMessage(),
          e);
    }
  }

  private static ListenFailedException refused(Path socket, String why) {
    return ListenFailedException.unix(socket, Problem.OTHER, why, null);
  }
}
