package dev.ferry.cli;

import dev.ferry.cli.exit.UserFacingException;
import dev.ferry.proxy.config.ConfigException;
import dev.ferry.proxy.config.FlagConfig;
import dev.ferry.proxy.config.ListenerConfig;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.config.TlsConfig;
import dev.ferry.proxy.config.TraceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The values of serve's flag-form options ({@code --listen}, {@code --route} and the options that
 * go with them), and the configuration they make: {@link FlagConfig}'s, with the listeners' TLS,
 * trace and CORS added.
 */
record FlagForm(
    List<String> listen,
    List<String> routes,
    String balance,
    String accessLog,
    String accessLogFormat,
    String drainTimeout,
    String tls,
    Path tlsCert,
    Path tlsKey,
    Path trace,
    CorsFlag cors) {

  /** The flag-form options given, by name, so that a clash with another form can name them. */
  List<String> given() {
    List<String> given = new ArrayList<>();
    if (!listen.isEmpty()) {
      given.add("--listen");
    }
    if (!routes.isEmpty()) {
      given.add("--route");
    }
    if (balance != null) {
      given.add("--balance");
    }
    if (accessLog != null) {
      given.add("--access-log");
    }
    if (accessLogFormat != null) {
      given.add("--access-log-format");
    }
    if (drainTimeout != null) {
      given.add("--drain-timeout");
    }
    if (tls != null) {
      given.add("--tls");
    }
    if (trace != null) {
      given.add("--trace");
    }
    if (tlsCert != null) {
      given.add("--tls-cert");
    }
    if (tlsKey != null) {
      given.add("--tls-key");
    }
    if (cors.given()) {
      given.add("--cors");
    }
    return given;
  }

  /**
   * The configuration these flags make.
   *
   * @param commandLine where a usage error is reported
   * @throws ConfigException when a route, address or duration is wrong
   */
  ProxyConfig toProxyConfig(CommandLine commandLine) throws ConfigException {
    FlagConfig flags =
        new FlagConfig(listen, routes, balance, accessLog, accessLogFormat, drainTimeout);
    return cors.apply(withTraceFlag(withTlsFlags(flags.toProxyConfig(), commandLine)));
  }

  /** The flag listeners with {@code --tls self-signed} or {@code --tls-cert/--tls-key}. */
  private ProxyConfig withTlsFlags(ProxyConfig c, CommandLine commandLine) {
    TlsConfig t = tlsFlags(commandLine);
    if (t == null) {
      return c;
    }
    List<ListenerConfig> listeners = new ArrayList<>();
    for (ListenerConfig l : c.listeners()) {
      listeners.add(l.toBuilder().tls(t).build());
    }
    return new ProxyConfig(List.copyOf(listeners), c.clusters(), c.accessLog(), c.drainTimeout());
  }

  /** The flag listeners with {@code --trace FILE}: all of them write to the one file. */
  private ProxyConfig withTraceFlag(ProxyConfig c) {
    if (trace == null) {
      return c;
    }
    TraceConfig t = new TraceConfig(trace.toString(), TraceConfig.Format.TEXT);
    return new ProxyConfig(
        c.listeners().stream().map(l -> l.toBuilder().trace(t).build()).toList(),
        c.clusters(),
        c.accessLog(),
        c.drainTimeout());
  }

  private TlsConfig tlsFlags(CommandLine commandLine) {
    if (tls != null) {
      if (!tls.equals("self-signed")) {
        throw new ParameterException(commandLine, "--tls: expected self-signed, got '" + tls + "'");
      }
      if (tlsCert != null || tlsKey != null) {
        throw new ParameterException(
            commandLine,
            "--tls self-signed cannot be combined with --tls-cert/--tls-key: use one or the"
                + " other");
      }
      return TlsConfig.selfSignedConfig();
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new ParameterException(
          commandLine, "--tls-cert and --tls-key go together: give both or neither");
    }
    if (tlsCert == null) {
      return null;
    }
    for (Path f : List.of(tlsCert, tlsKey)) {
      if (!Files.isRegularFile(f)) {
        throw new UserFacingException(
            (f == tlsCert ? "--tls-cert" : "--tls-key") + ": no such file: " + f);
      }
    }
    return TlsConfig.of(tlsCert, tlsKey);
  }
}
