package dev.ferry.proxy;

import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.config.ProxyConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * A running proxy: its listeners bound and serving. Start one with {@link #start}, stop it with
 * {@link #shutdownGracefully}.
 */
public final class ProxyServer implements AutoCloseable {

  /** Binds every listener of {@code config} and starts serving; fails if any address is taken. */
  public static ProxyServer start(ProxyConfig config) throws java.io.IOException {
    throw new UnsupportedOperationException("the data path is being built (issue #3)");
  }

  /** As {@link #start(ProxyConfig)}, writing one entry per call to {@code accessLog}. */
  public static ProxyServer start(ProxyConfig config, AccessLog accessLog)
      throws java.io.IOException {
    throw new UnsupportedOperationException("the data path is being built (issue #3)");
  }

  /** The addresses actually bound, in the order of the config's listeners (port 0 resolved). */
  public List<InetSocketAddress> boundAddresses() {
    throw new UnsupportedOperationException();
  }

  /**
   * Sends GOAWAY to every client, lets in-flight calls finish for up to {@code drainTimeout}, then
   * closes everything. Returns when all is closed.
   */
  public void shutdownGracefully(Duration drainTimeout) throws InterruptedException {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() throws InterruptedException {
    shutdownGracefully(Duration.ZERO);
  }
}
