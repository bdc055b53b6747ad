package dev.ferry.cli;

import dev.ferry.cli.exit.ExitCodes;
import dev.ferry.cli.exit.UserFacingException;
import dev.ferry.proxy.config.ConfigError;
import dev.ferry.proxy.config.ConfigException;
import dev.ferry.proxy.config.ConfigLoader;
import dev.ferry.proxy.config.FlagConfig;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.xds.XdsBootstrap;
import dev.ferry.proxy.xds.XdsOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * `ferry serve`: the gRPC-aware HTTP/2 reverse proxy and load balancer, configured by a YAML file
 * or, for the simple case, by flags; the two forms do not mix, so that what runs is always exactly
 * what one place says.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "The gRPC-aware HTTP/2 reverse proxy and load balancer.",
      "Configure it with a YAML file (-c) or, for the simple case, with --listen and --route;"
          + " the two forms do not mix."
    },
    footer = {
      "",
      "A --route's left side is a gRPC service (helloworld.Greeter), a method",
      "(helloworld.Greeter/SayHello) or a path prefix (/api/); its right side lists endpoints,",
      "http:// ones being HTTP/1.1 backends. Flag routes are tried most specific first.",
      "",
      "Examples:",
      "  ferry serve -c ferry.yaml",
      "  ferry serve -c examples/production.yaml   health checks, retries, admin",
      "  ferry serve --check -c ferry.yaml",
      "  ferry serve --listen 127.0.0.1:8080 \\",
      "      --route helloworld.Greeter=127.0.0.1:50051 \\",
      "      --route helloworld.Daininki=127.0.0.1:50052,127.0.0.1:50053 \\",
      "      --route /=http://127.0.0.1:8000",
      "  ferry serve --tls self-signed --route helloworld.Greeter=127.0.0.1:50051",
      "  ferry serve --route helloworld.Daininki=127.0.0.1:50052,127.0.0.1:50053 \\",
      "      --balance least_request --access-log -",
      "  ferry serve --xds-bootstrap bootstrap.json --admin 127.0.0.1:9901",
      "",
      "With -c, a change of the file or SIGHUP reloads routes and clusters for new",
      "calls; a file with errors is refused (they are logged) and the old one stays.",
      "On SIGTERM or Ctrl-C, clients get GOAWAY and in-flight calls the drain timeout to finish.",
      "Exit codes: 0 config OK (--check) or stopped, 1 bad config or cannot start,",
      "2 bad command line."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Replaced by tests, which stop the command themselves. */
  StopSignal stopSignal = StopSignal.fromOperatingSystem();

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "The configuration file, such as ferry.yaml (see examples/ferry.yaml).")
  Path config;

  @Option(
      names = "--check",
      description = "Check the configuration, print what is wrong or a one-line summary, and exit.")
  boolean check;

  @Option(
      names = "--listen",
      paramLabel = "ADDRESS",
      description =
          "Flag form: where to listen, host:port or unix:/path (repeatable; default"
              + " 127.0.0.1:8080).")
  List<String> listen = new ArrayList<>();

  @Option(
      names = "--route",
      paramLabel = "MATCH=ENDPOINTS",
      // One example per line: picocli would otherwise break the long one inside an address.
      description = {
        "Flag form: a route (repeatable), such as",
        "helloworld.Greeter=127.0.0.1:50051,127.0.0.1:50052",
        "or /=http://127.0.0.1:8000,",
        "or helloworld.Greeter=unix:/run/greeter.sock."
      })
  List<String> routes = new ArrayList<>();

  @Option(
      names = "--balance",
      paramLabel = "POLICY",
      description =
          "Flag form: round_robin (default), least_request, random, weighted_round_robin or"
              + " ring_hash:HEADER.")
  String balance;

  @Option(
      names = "--access-log",
      paramLabel = "-|FILE",
      description = "Flag form: one line per call to standard output (-) or appended to FILE.")
  String accessLog;

  @Option(
      names = "--access-log-format",
      paramLabel = "text|json",
      description = "Flag form: the access log's format (default text).")
  String accessLogFormat;

  @Option(
      names = "--trace",
      paramLabel = "FILE",
      description =
          "Flag form: append every frame, message and trailer of every connection to FILE, as"
              + " ferry trace prints them.")
  Path trace;

  @Option(
      names = "--tls",
      paramLabel = "self-signed",
      description =
          "Flag form: serve TLS with a development certificate for localhost, made once in"
              + " ~/.config/ferry/tls and reused.")
  String tls;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "Flag form: serve TLS with this PEM certificate chain (needs --tls-key).")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "The PEM private key of --tls-cert.")
  Path tlsKey;

  @Mixin CorsFlag cors;

  /** Where {@code --tls self-signed} keeps its files; tests point it elsewhere. */
  Map<String, String> environment = System.getenv();

  @Option(
      names = "--drain-timeout",
      paramLabel = "DURATION",
      description = "Flag form: how long in-flight calls may finish after a stop (default 10s).")
  String drainTimeout;

  @Option(
      names = "--xds-bootstrap",
      paramLabel = "FILE",
      description = {
        "Take listeners, routes, clusters and endpoints from the xDS control plane this",
        "bootstrap file names (grpc's format; see docs/xds.md). Without -c, --route or this,",
        "$GRPC_XDS_BOOTSTRAP is used when set."
      })
  Path xdsBootstrap;

  @Option(
      names = "--admin",
      paramLabel = "ADDRESS",
      description =
          "With xDS: serve /ready, /config, /clusters and /metrics on ADDRESS (host:port).")
  String admin;

  @Option(
      names = "--xds-ready",
      paramLabel = "configured|connected",
      description = {
        "With xDS: /ready says ready once a configuration applied (configured, the default),",
        "or only while the control plane is connected (connected)."
      })
  String xdsReady;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path bootstrap = xdsBootstrapFile();
    if (bootstrap != null) {
      return serveXds(bootstrap, out, err);
    }
    if (admin != null || xdsReady != null) {
      throw new ParameterException(
          spec.commandLine(),
          (admin != null ? "--admin" : "--xds-ready")
              + " goes with --xds-bootstrap (with -c, put admin: in the file)");
    }
    List<String> flagForm = flagForm().given();
    if (config != null && !flagForm.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "-c/--config cannot be combined with "
              + String.join(", ", flagForm)
              + ": put everything in the file, or use flags only");
    }
    if (config == null && routes.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "give a configuration file (-c ferry.yaml) or at least one --route");
    }

    String source = config != null ? config.toString() : "flags";
    ProxyConfig proxyConfig;
    List<ConfigError> warnings = new ArrayList<>();
    try {
      proxyConfig =
          config != null
              ? load(config, check ? warnings : null)
              : flagForm().toProxyConfig(spec.commandLine());
    } catch (ConfigException e) {
      return config != null ? reportFileErrors(e, err) : reportFlagErrors(e, err);
    }

    if (check) {
      for (ConfigError w : warnings) {
        err.println(w);
      }
      out.println(source + ": OK (" + counts(proxyConfig) + ")");
      return ExitCodes.OK;
    }
    new ServeLifecycle(stopSignal, environment, config).run(proxyConfig, source, out, err);
    return ExitCodes.OK;
  }

  /** {@code --xds-bootstrap}, else {@code $GRPC_XDS_BOOTSTRAP} when nothing else configures. */
  private Path xdsBootstrapFile() {
    if (xdsBootstrap != null) {
      return xdsBootstrap;
    }
    String env = environment.get("GRPC_XDS_BOOTSTRAP");
    boolean nothingElse = config == null && routes.isEmpty() && listen.isEmpty();
    return env != null && !env.isBlank() && nothingElse ? Path.of(env) : null;
  }

  /** {@code serve} with everything from a control plane: it waits for the first configuration. */
  private int serveXds(Path bootstrapFile, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    List<String> clash = new ArrayList<>();
    if (config != null) {
      clash.add("-c/--config");
    }
    for (String o : flagForm().given()) {
      if (!o.startsWith("--access-log") && !o.equals("--drain-timeout")) {
        clash.add(o);
      }
    }
    if (!clash.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "xDS (--xds-bootstrap or $GRPC_XDS_BOOTSTRAP) cannot be combined with "
              + String.join(", ", clash)
              + ": the control plane gives listeners, routes and clusters");
    }
    XdsOptions options = XdsOptions.DEFAULTS;
    if (xdsReady != null) {
      switch (xdsReady) {
        case "configured" -> options = options.withReadyWhen(XdsOptions.ReadyWhen.CONFIGURED);
        case "connected" -> options = options.withReadyWhen(XdsOptions.ReadyWhen.CONNECTED);
        default ->
            throw new ParameterException(
                spec.commandLine(),
                "--xds-ready: expected configured or connected, got '" + xdsReady + "'");
      }
    }
    XdsBootstrap bootstrap;
    ProxyConfig base;
    try {
      bootstrap = XdsBootstrap.read(bootstrapFile);
      base =
          new FlagConfig(List.of(), List.of(), null, accessLog, accessLogFormat, drainTimeout)
              .xdsBase(admin);
    } catch (IllegalArgumentException e) {
      throw new UserFacingException(e.getMessage(), e);
    } catch (ConfigException e) {
      return reportFlagErrors(e, err);
    }
    return new XdsServe(stopSignal).run(bootstrap, bootstrapFile, base, options, check, out, err);
  }

  /** Compiler style, {@code ferry.yaml:9:9: path: message}, so that editors can jump to each. */
  private static int reportFileErrors(ConfigException e, PrintWriter err) {
    for (ConfigError error : e.errors()) {
      err.println(error);
    }
    return ExitCodes.FAILURE;
  }

  /** In the form of every other usage error, one line each, the last pointing to the help. */
  private int reportFlagErrors(ConfigException e, PrintWriter err) {
    String where = spec.qualifiedName();
    List<ConfigError> errors = e.errors();
    for (int i = 0; i < errors.size(); i++) {
      String hint = i == errors.size() - 1 ? " (see '" + where + " --help')" : "";
      err.println(where + ": " + errors.get(i) + hint);
    }
    return ExitCodes.USAGE;
  }

  private FlagForm flagForm() {
    return new FlagForm(
        listen,
        routes,
        balance,
        accessLog,
        accessLogFormat,
        drainTimeout,
        tls,
        tlsCert,
        tlsKey,
        trace,
        cors);
  }

  /** The config of {@code file}; with {@code warnings}, also what may fail later (--check). */
  private static ProxyConfig load(Path file, List<ConfigError> warnings) throws ConfigException {
    try {
      return warnings == null ? ConfigLoader.load(file) : ConfigLoader.check(file, warnings);
    } catch (NoSuchFileException e) {
      throw new UserFacingException("no such file: " + file);
    } catch (CharacterCodingException e) {
      throw new UserFacingException(file + ": not UTF-8 text");
    } catch (IOException e) {
      throw new UserFacingException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code 1 listener, 4 routes, 3 clusters}, and the control plane that adds more. */
  static String counts(ProxyConfig c) {
    int routeCount = c.listeners().stream().mapToInt(l -> l.routes().size()).sum();
    return plural(c.listeners().size(), "listener")
        + ", "
        + plural(routeCount, "route")
        + ", "
        + plural(c.clusters().size(), "cluster")
        + (c.xds() == null ? "" : "; more from xds " + c.xds().server());
  }

  private static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
