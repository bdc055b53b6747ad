package dev.ferry.cli;

import dev.ferry.cli.exit.UserFacingException;
import dev.ferry.proxy.ListenFailedException;
import dev.ferry.proxy.ProxyServer;
import dev.ferry.proxy.accesslog.AccessLog;
import dev.ferry.proxy.accesslog.AccessLogs;
import dev.ferry.proxy.config.Durations;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.reload.ConfigReloader;
import dev.ferry.proxy.xds.XdsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy as `serve` and `demo` run it: its access log opened, its listeners bound, and a stop
 * that drains in-flight calls before closing the log.
 */
final class RunningProxy {
  private static final Logger log = LoggerFactory.getLogger(RunningProxy.class);

  private final ProxyConfig config;
  private final ProxyServer server;
  private final AccessLog accessLog;
  private ConfigReloader reloader;
  private XdsClient xds;

  private RunningProxy(ProxyConfig config, ProxyServer server, AccessLog accessLog) {
    this.config = config;
    this.server = server;
    this.accessLog = accessLog;
  }

  /** Opens the access log and binds every listener; one clear line when either fails. */
  static RunningProxy start(ProxyConfig config) {
    AccessLog accessLog = openAccessLog(config);
    try {
      return new RunningProxy(config, ProxyServer.start(config, accessLog), accessLog);
    } catch (IOException e) {
      accessLog.close();
      throw startFailure(config, e);
    } catch (IllegalArgumentException e) {
      // What the proxy checks beyond the loader, such as Unix sockets without epoll.
      accessLog.close();
      throw new UserFacingException(e.getMessage(), e);
    }
  }

  /**
   * One line for a failed start: a listener's port in use gets the advice of {@link PortInUse};
   * other listen failures say which address, which listener and why.
   */
  static UserFacingException startFailure(ProxyConfig config, IOException e) {
    if (e instanceof ListenFailedException f) {
      if (f.role() == ListenFailedException.Role.LISTENER
          && f.socket() == null
          && f.problem() == ListenFailedException.Problem.ADDRESS_IN_USE) {
        return new UserFacingException(PortInUse.message(f.host(), f.port()), e);
      }
      return new UserFacingException(f.getMessage(), e);
    }
    String addresses =
        config.listeners().stream().map(ServeSummary::address).collect(Collectors.joining(", "));
    return new UserFacingException("cannot listen on " + addresses + ": " + e.getMessage(), e);
  }

  /** Every listener's address, in config order: TCP, or a Unix socket's. */
  List<SocketAddress> listenAddresses() {
    return server.listenAddresses();
  }

  /**
   * Reloads the config from {@code file} when it changes, and when {@link #reloadNow} is called (on
   * SIGHUP); stopped by {@link #stop}.
   */
  void reloadOnChange(Path file) {
    try {
      reloader = ConfigReloader.watch(file, server);
    } catch (IOException e) {
      throw new UserFacingException("cannot watch " + file + " for changes: " + e.getMessage(), e);
    }
  }

  /**
   * Applies what {@code client} receives from its control plane from now on, and shows it as the
   * source in the admin listener; {@link #stop} closes it.
   */
  void followXds(XdsClient client) {
    xds = client;
    server.configuredBy(client);
    client.applyTo(server);
  }

  /** Reloads the file of {@link #reloadOnChange} now. */
  void reloadNow() {
    reloader.reloadNow();
  }

  /** The admin listener's address, or {@code null} when there is none. */
  InetSocketAddress adminAddress() {
    return server.adminAddress();
  }

  /**
   * Sends GOAWAY, gives in-flight calls the drain timeout, then closes the access log; says so in
   * the log, as every line the running proxy writes about itself.
   */
  void stop() throws InterruptedException {
    log.info(
        "stopping; in-flight calls have up to {} to finish",
        Durations.format(config.drainTimeout()));
    if (reloader != null) {
      reloader.close();
    }
    if (xds != null) {
      xds.close();
    }
    try {
      server.shutdownGracefully(config.drainTimeout());
    } finally {
      accessLog.close();
      log.info("stopped");
    }
  }

  private static AccessLog openAccessLog(ProxyConfig config) {
    try {
      return AccessLogs.open(config.accessLog());
    } catch (IOException e) {
      throw new UserFacingException(
          "cannot open the access log " + config.accessLog().path() + ": " + e.getMessage(), e);
    }
  }
}
