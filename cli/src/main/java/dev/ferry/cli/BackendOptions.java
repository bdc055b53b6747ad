package dev.ferry.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options `ferry greeter` and `ferry daininki` share: where to listen, the name, TLS, logging.
 */
final class BackendOptions {
  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = {
        "Port to listen on; repeat it for several independent instances in one process.",
        "0 picks a free port. Default: 50051 (greeter), 50052 (daininki)."
      })
  List<Integer> ports = new ArrayList<>();

  @Option(
      names = "--unix",
      paramLabel = "PATH",
      description = {
        "Listen on this Unix domain socket instead of a port (Linux); repeat it for several"
            + " instances. A socket file left by a process that ended is replaced.",
        "Call it with ferry call unix:PATH."
      })
  List<Path> unixSockets = new ArrayList<>();

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description = "Address to bind. Default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface.")
  String host;

  @Option(
      names = "--id",
      paramLabel = "NAME",
      description = {
        "The name in served_by (default: <command>@<port>, or <command>@<file name> with"
            + " --unix).",
        "With several --port, each instance is named NAME@<port>."
      })
  String id;

  @Option(
      names = "--tls",
      paramLabel = "self-signed",
      description =
          "Serve TLS with a development certificate for localhost, made once in"
              + " ~/.config/ferry/tls and reused.")
  String tls;

  /** Where {@code --tls self-signed} keeps its files; tests point it elsewhere. */
  Map<String, String> environment = System.getenv();

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "PEM certificate chain: serve TLS (needs --tls-key).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert.")
  Path tlsKey;

  @Option(
      names = "--max-message-size",
      paramLabel = "BYTES",
      defaultValue = "67108864",
      description =
          "The largest request message accepted, in bytes (default: ${DEFAULT-VALUE}, 64 MiB;"
              + " grpc-java's own 4 MiB would hold back tests of big messages).")
  int maxMessageSize;

  @Option(
      names = {"-q", "--quiet"},
      description = "Do not print a line per call.")
  boolean quiet;
}
