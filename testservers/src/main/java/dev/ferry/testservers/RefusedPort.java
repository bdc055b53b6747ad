package dev.ferry.testservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port where every connect is refused, held until closed: the backend that is down.
 *
 * <p>A port read from a server socket and closed again is free for the next {@code bind(0)}, and on
 * a busy machine that may be the proxy under test, which then forwards the calls meant for a dead
 * backend to itself until the client gives up. A socket that is bound but never listens keeps the
 * port out of everyone's reach while the kernel still answers each SYN sent to it with a reset.
 */
public final class RefusedPort implements AutoCloseable {
  private final Socket reserved;

  private RefusedPort(Socket reserved) {
    this.reserved = reserved;
  }

  /** Reserves a port on 127.0.0.1 that refuses connections until {@link #close()}. */
  public static RefusedPort open() {
    Socket socket = new Socket();
    try {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reserve a loopback port", e);
    }
    return new RefusedPort(socket);
  }

  public int port() {
    return reserved.getLocalPort();
  }

  /** {@code 127.0.0.1:PORT}, as a command line takes it. */
  public String hostPort() {
    return "127.0.0.1:" + port();
  }

  @Override
  public void close() {
    try {
      reserved.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
