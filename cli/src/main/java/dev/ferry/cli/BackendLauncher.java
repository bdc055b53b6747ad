package dev.ferry.cli;

import dev.ferry.cli.exit.ExitCodes;
import dev.ferry.cli.exit.UserFacingException;
import dev.ferry.proxy.tls.SelfSignedCertificates;
import dev.ferry.testservers.ExampleServer;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * Starts the example backend instances a `greeter` or `daininki` command asks for, one per port,
 * and serves until the user stops the process.
 */
final class BackendLauncher {
  private final ExampleServer.Kind kind;
  private final int defaultPort;

  BackendLauncher(ExampleServer.Kind kind, int defaultPort) {
    this.kind = kind;
    this.defaultPort = defaultPort;
  }

  /**
   * Checks the options, starts every instance and prints {@code listening on HOST:PORT} (or {@code
   * unix:PATH} and how to call it) for each; if one cannot start, those already started are closed
   * again.
   */
  List<ExampleServer> start(BackendOptions options, CommandSpec spec) {
    List<Integer> ports =
        !options.unixSockets.isEmpty()
            ? List.of()
            : options.ports.isEmpty() ? List.of(defaultPort) : options.ports;
    checkPorts(ports, spec);
    checkUnixSockets(options, spec);
    checkTls(options, spec);
    if (options.maxMessageSize <= 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--max-message-size: " + options.maxMessageSize + " (expected: > 0)");
    }
    PrintWriter out = spec.commandLine().getOut();
    SelfSignedCertificates.Material development =
        options.tls == null ? null : DevelopmentTls.ensure(options.environment);
    List<ExampleServer> started = new ArrayList<>();
    try {
      boolean several = ports.size() + options.unixSockets.size() > 1;
      boolean tls = development != null;
      for (int port : ports) {
        started.add(listening(startOne(options, development, port, null, several, out), tls, out));
      }
      for (Path socket : options.unixSockets) {
        ExampleServer server =
            listening(startOne(options, development, 0, socket, several, out), tls, out);
        started.add(server);
        if (development == null) {
          // The CA hint below names the call with TLS.
          out.println("  try: ferry call " + server.authority() + " list");
        }
        out.flush();
      }
      if (development != null) {
        ExampleServer first = started.get(0);
        DevelopmentTls.printHint(
            development,
            first.socket() != null
                ? new DomainSocketAddress(first.socket().toString())
                : first.address(),
            out);
        out.flush();
      }
      return started;
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  /** Starts, waits for {@code stop}, closes every instance, and returns exit code 0. */
  int serveUntilStopped(BackendOptions options, CommandSpec spec, StopSignal stop)
      throws InterruptedException {
    stop.arm();
    List<ExampleServer> servers = start(options, spec);
    try {
      stop.await();
    } finally {
      closeAll(servers);
    }
    return ExitCodes.OK;
  }

  private static ExampleServer listening(ExampleServer server, boolean tls, PrintWriter out) {
    out.println("listening on " + server.authority() + (tls ? " (TLS)" : ""));
    out.flush();
    return server;
  }

  /**
   * One instance on {@code port}, or on the Unix socket {@code socket} when it is not {@code null}.
   */
  private ExampleServer startOne(
      BackendOptions options,
      SelfSignedCertificates.Material development,
      int port,
      Path socket,
      boolean severalInstances,
      PrintWriter out) {
    ExampleServer.Builder builder =
        ExampleServer.builder(kind).maxMessageSize(options.maxMessageSize);
    if (socket != null) {
      builder.unixSocket(socket);
    } else {
      builder.host(options.host).port(port);
    }
    if (options.id != null) {
      if (severalInstances) {
        builder.idPrefix(options.id);
      } else {
        builder.id(options.id);
      }
    }
    if (options.tlsCert != null) {
      builder.tls(options.tlsCert, options.tlsKey);
    } else if (development != null) {
      builder.tls(development.certificate(), development.key());
    }
    if (!options.quiet) {
      builder.callLog(callLog(out));
    }
    try {
      return builder.start();
    } catch (BindException e) {
      if (socket != null) {
        throw new UserFacingException(e.getMessage(), e);
      }
      throw new UserFacingException(PortInUse.message(options.host, port), e);
    } catch (IOException e) {
      // The others name the host or the TLS files.
      throw new UserFacingException(e.getMessage(), e);
    }
  }

  private static Consumer<String> callLog(PrintWriter out) {
    return line -> {
      // Calls end on many threads; one println and flush at a time keeps lines whole.
      synchronized (out) {
        out.println(line);
        out.flush();
      }
    };
  }

  private static void checkPorts(List<Integer> ports, CommandSpec spec) {
    Set<Integer> seen = new HashSet<>();
    for (int port : ports) {
      if (port < 0 || port > 65535) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--port: " + port + " (expected: 0..65535)");
      }
      if (port != 0 && !seen.add(port)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--port: " + port + " is given twice");
      }
    }
  }

  // sun_path in struct sockaddr_un is 108 bytes on Linux, the last of which is the NUL.
  private static final int MAX_SOCKET_PATH_BYTES = 107;

  private static void checkUnixSockets(BackendOptions options, CommandSpec spec) {
    if (options.unixSockets.isEmpty()) {
      return;
    }
    ParseResult given = spec.commandLine().getParseResult();
    for (String option : List.of("--port", "--host")) {
      if (given != null && given.hasMatchedOption(option)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--unix and "
                + option
                + " cannot be combined: an instance listens on one or the other");
      }
    }
    Set<Path> seen = new HashSet<>();
    for (Path socket : options.unixSockets) {
      int bytes = socket.toString().getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_SOCKET_PATH_BYTES) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--unix: socket path "
                + socket
                + " is "
                + bytes
                + " bytes long (expected at most "
                + MAX_SOCKET_PATH_BYTES
                + ", the limit of a Unix socket address)");
      }
      if (!seen.add(socket.toAbsolutePath().normalize())) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--unix: " + socket + " is given twice");
      }
    }
  }

  private static void checkTls(BackendOptions options, CommandSpec spec) {
    if (options.tls != null) {
      if (!options.tls.equals("self-signed")) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--tls: expected self-signed, got '" + options.tls + "'");
      }
      if (options.tlsCert != null || options.tlsKey != null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--tls self-signed cannot be combined with --tls-cert/--tls-key: use one or the"
                + " other");
      }
    }
    if ((options.tlsCert == null) != (options.tlsKey == null)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--tls-cert and --tls-key go together: give both or neither");
    }
    if (options.tlsCert != null) {
      checkReadable("--tls-cert", options.tlsCert);
      checkReadable("--tls-key", options.tlsKey);
    }
  }

  private static void checkReadable(String option, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UserFacingException(option + ": no such file: " + file);
    }
    if (!Files.isReadable(file)) {
      throw new UserFacingException(option + ": cannot read " + file);
    }
  }

  private static void closeAll(List<ExampleServer> servers) {
    for (ExampleServer server : servers) {
      server.close();
    }
  }
}
